"""examples/plugins/note_footer.py (the guide's complete example) runs as documented."""

from __future__ import annotations

from pathlib import Path

from composer.pipeline.discovery import discover
from composer.pipeline.runner import Pipeline
from tests.pipeline._helpers import call_event, context

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plugins"


def example_pipeline() -> Pipeline:
    found = discover(EXAMPLES, entry_points=[])
    assert found.problems == ()
    assert [p.name for p in found.plugins] == ["note_footer"]
    return Pipeline(found.plugins)


async def test_the_footer_is_added_once() -> None:
    pipeline = example_pipeline()
    prepared = await pipeline.prepare(call_event(note="Asked about renewal"), context=context())
    assert prepared.event.note == "Asked about renewal\n-- logged by App Connect"
    again = await pipeline.prepare(prepared.event, context=context())
    assert again.event.note == prepared.event.note


async def test_the_account_settings_from_the_docstring_work() -> None:
    settings = {"plugin_note_footer": {"value": {"enabled": True, "config": {"text": {"value": "-- Support team"}}}}}
    prepared = await example_pipeline().prepare(call_event(note=None), context=context(user_settings=settings))
    assert prepared.event.note == "-- Support team"
    off = {"plugin_note_footer": {"value": {"enabled": False}}}
    prepared = await example_pipeline().prepare(call_event(note="n"), context=context(user_settings=off))
    assert prepared.event.note == "n"


async def test_it_leaves_updates_and_messages_alone() -> None:
    prepared = await example_pipeline().prepare(call_event(kind="call.update", note="n"), context=context())
    assert prepared.applied == []
