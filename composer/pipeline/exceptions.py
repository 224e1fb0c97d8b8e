"""Errors of the plugin pipeline, grouped by what the caller can do about them.

    PipelineError                 base
     +-- PluginDefinitionError    a plugin declaration is unusable: discovery refuses it
     |                            (the message names the file, the plugin and the fix)
     +-- PluginAborted            an ``on_error="abort"`` plugin failed or timed out:
                                  the logging operation must write nothing to the CRM

Plugin *failures* under ``on_error="skip"`` are not exceptions for the caller: they become
warning strings in ``Prepared.warnings``. Import failures at discovery are reported as
``composer.settings.ConfigurationError`` in strict mode (a start-up error), and logged
otherwise.
"""

from __future__ import annotations

__all__ = ["PipelineError", "PluginAborted", "PluginDefinitionError"]


class PipelineError(Exception):
    """Base of every pipeline error."""


class PluginDefinitionError(PipelineError):
    """A plugin's declaration or signature is wrong; raised at discovery, never per request."""

    def __init__(self, *, source: str, plugin: str, problem: str, fix: str) -> None:
        where = f"{source}: " if source else ""
        name = f"plugin {plugin!r}" if plugin else "plugin"
        super().__init__(f"{where}{name}: {problem}. Fix: {fix}")
        self.source = source
        self.plugin = plugin
        self.problem = problem
        self.fix = fix


class PluginAborted(PipelineError):
    """A plugin with ``on_error="abort"`` failed: nothing may be written to the CRM."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"{plugin}: {message}")
        self.plugin = plugin
        self.message = message
