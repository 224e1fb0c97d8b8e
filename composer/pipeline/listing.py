"""``appconnect plugins``: the discovered pipeline in execution order, and what failed to load.

It runs discovery exactly as the server does (same directory, same entry points) but never
raises: in strict mode the problems that would stop the server are printed, and the exit
status is 1 whenever there is a problem, so CI can run it as a check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from composer.pipeline._contract import PluginSpec
from composer.pipeline.discovery import discover
from composer.pipeline.runner import Problem
from composer.settings import Settings

__all__ = ["format_pipeline", "print_pipeline"]

_KIND_ORDER = ("call.create", "call.update", "message.create")
_REMOTE_LINE = (
    "remote.<pluginId>  installed per RingCentral account with POST /plugin/register: "
    "sync plugins run as TRANSFORM order 500, async ones as SIDE_EFFECT order 500"
)


def _kinds(spec: PluginSpec) -> str:
    if set(spec.applies_to) == set(_KIND_ORDER):
        return "all"
    return ",".join(kind for kind in _KIND_ORDER if kind in spec.applies_to)


def format_pipeline(plugins: Sequence[PluginSpec], problems: Sequence[Problem], *, directory: str) -> list[str]:
    """The listing as lines (also used by tests)."""
    lines = [f"Plugin pipeline ({len(plugins)} plugin{'s' if len(plugins) != 1 else ''}, directory {directory})", ""]
    header = ("#", "stage", "order", "name", "applies_to", "timeout", "on_error", "config", "source")
    rows: list[tuple[str, ...]] = [header]
    for index, spec in enumerate(plugins, 1):
        rows.append((
            str(index),
            spec.stage.name,
            str(spec.order),
            spec.name,
            _kinds(spec),
            f"{spec.timeout:g}s",
            spec.on_error if spec.stage.name != "SIDE_EFFECT" else f"retry x{spec.max_attempts}",
            spec.config_type.__name__ if spec.config_type is not None else "-",
            spec.source,
        ))
    if plugins:
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    else:
        lines.append("  (no plugins found)")
    lines += ["", f"Built in: {_REMOTE_LINE}"]
    if problems:
        lines += ["", f"Problems ({len(problems)}): these plugins are NOT loaded"]
        lines += [f"  - {problem.message}" for problem in problems]
    return lines


def print_pipeline(settings: Settings, out: TextIO, *, entry_points: Iterable[Any] | None = None) -> int:
    """Print the pipeline; 0 when everything loaded, 1 when something did not."""
    found = discover(settings.plugins_dir, entry_points=entry_points)
    for line in format_pipeline(found.plugins, found.problems, directory=found.directory):
        out.write(line + "\n")
    if found.problems and settings.plugins_strict:
        out.write("\nAPPCONNECT_PLUGINS_STRICT=1: the server would refuse to start.\n")
    return 1 if found.problems else 0
