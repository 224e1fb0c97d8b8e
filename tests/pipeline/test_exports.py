"""The plugin contract's surface is pinned: widening it is a reviewed decision (STYLE rule 1, 12)."""

from __future__ import annotations

import types

import composer.pipeline as pipeline

PINNED = [
    "CallLogEvent",
    "ContactRef",
    "EventKind",
    "LogEvent",
    "LogResult",
    "MessageLogEvent",
    "PluginContext",
    "Stage",
    "plugin",
]


def test_all_is_pinned() -> None:
    assert pipeline.__all__ == PINNED


def test_every_exported_name_exists_and_nothing_else_is_public() -> None:
    public = {
        name
        for name, value in vars(pipeline).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public == set(PINNED)
    for name in PINNED:
        assert getattr(pipeline, name) is not None
