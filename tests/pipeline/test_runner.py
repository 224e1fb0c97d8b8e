"""The runner: order, timeouts, skip vs abort, per-account config, enable/disable, tracing."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import msgspec
import pytest

from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin
from composer.pipeline._contract import PluginSpec
from composer.pipeline.runner import Pipeline, PluginAborted
from composer.pipeline.tasks import NewTask
from tests.pipeline._helpers import call_event, context, message_event, spec_of


def appender(name: str, *, stage: Stage = Stage.TRANSFORM, order: int = 100, **options: Any) -> PluginSpec:
    @plugin(name=name, stage=stage, order=order, **options)
    async def append(event: CallLogEvent, context: PluginContext) -> CallLogEvent:
        return msgspec.structs.replace(event, note=f"{event.note}|{name}")

    return spec_of(append)


async def test_no_plugins_returns_the_event_itself() -> None:
    event = call_event()
    prepared = await Pipeline().prepare(event, context=context())
    assert prepared.event is event and prepared.applied == [] and prepared.warnings == []


async def test_order_is_stage_then_order_then_name() -> None:
    specs = [
        appender("zeta", stage=Stage.TRANSFORM, order=1),
        appender("beta", stage=Stage.ENRICH, order=90),
        appender("alpha", stage=Stage.ENRICH, order=90),
        appender("gamma", stage=Stage.ENRICH, order=5),
        appender("omega", stage=Stage.TRANSFORM, order=-3),
    ]
    for permutation in (specs, list(reversed(specs))):
        prepared = await Pipeline(permutation).prepare(call_event(note="n"), context=context())
        assert prepared.applied == ["gamma", "alpha", "beta", "omega", "zeta"]
        assert prepared.event.note == "n|gamma|alpha|beta|omega|zeta"


async def test_plugins_only_see_the_kinds_they_apply_to() -> None:
    calls = appender("calls", applies_to={"call.create"})
    prepared = await Pipeline([calls]).prepare(call_event(kind="call.update"), context=context())
    assert prepared.applied == []
    prepared = await Pipeline([calls]).prepare(message_event(), context=context())
    assert prepared.applied == []


async def test_none_means_unchanged() -> None:
    @plugin(name="noop", stage=Stage.ENRICH)
    async def noop(event: Any, context: Any) -> None:
        return None

    event = call_event()
    prepared = await Pipeline([spec_of(noop)]).prepare(event, context=context())
    assert prepared.event is event and prepared.applied == ["noop"]


def slow(name: str, on_error: str) -> PluginSpec:
    @plugin(name=name, stage=Stage.TRANSFORM, timeout=0.05, on_error=on_error)  # type: ignore[arg-type]
    async def wait(event: Any, context: Any) -> None:
        await asyncio.sleep(5)

    return spec_of(wait)


def failing(name: str, on_error: str, order: int = 100) -> PluginSpec:
    @plugin(name=name, stage=Stage.TRANSFORM, on_error=on_error, order=order)  # type: ignore[arg-type]
    async def fail(event: Any, context: Any) -> None:
        raise ValueError("boom")

    return spec_of(fail)


async def test_timeout_with_skip_continues_with_the_unchanged_event_and_warns() -> None:
    pipeline = Pipeline([slow("sleepy", "skip"), appender("after", order=200)])
    started = asyncio.get_running_loop().time()
    prepared = await pipeline.prepare(call_event(note="n"), context=context())
    assert asyncio.get_running_loop().time() - started < 1
    assert prepared.event.note == "n|after"
    assert prepared.applied == ["after"]
    assert prepared.warnings == ["Plugin sleepy skipped: timed out after 0.05 s"]


async def test_timeout_with_abort_raises_plugin_aborted() -> None:
    with pytest.raises(PluginAborted) as info:
        await Pipeline([slow("strict", "abort")]).prepare(call_event(), context=context())
    assert info.value.plugin == "strict" and "timed out" in info.value.message


async def test_error_with_skip_keeps_earlier_changes_and_names_the_plugin() -> None:
    pipeline = Pipeline([appender("first", order=1), failing("broken", "skip", order=2), appender("last", order=3)])
    prepared = await pipeline.prepare(call_event(note="n"), context=context())
    assert prepared.event.note == "n|first|last"
    assert prepared.warnings == ["Plugin broken skipped: failed: ValueError: boom"]


async def test_error_with_abort_stops_everything_after_it() -> None:
    ran: list[str] = []

    @plugin(name="later", stage=Stage.TRANSFORM, order=500)
    async def later(event: Any, context: Any) -> None:
        ran.append("later")

    with pytest.raises(PluginAborted, match="broken: failed: ValueError: boom"):
        await Pipeline([failing("broken", "abort"), spec_of(later)]).prepare(call_event(), context=context())
    assert ran == []


async def test_a_wrong_return_value_follows_on_error() -> None:
    @plugin(name="wrong", stage=Stage.TRANSFORM)
    async def wrong(event: Any, context: Any) -> Any:
        return {"note": "x"}

    @plugin(name="kind_changer", stage=Stage.TRANSFORM, on_error="abort")
    async def kind_changer(event: Any, context: Any) -> Any:
        return msgspec.structs.replace(event, kind="call.update")

    prepared = await Pipeline([spec_of(wrong)]).prepare(call_event(), context=context())
    assert "returned dict; return a changed copy of the CallLogEvent" in prepared.warnings[0]
    with pytest.raises(PluginAborted):
        await Pipeline([spec_of(kind_changer)]).prepare(call_event(), context=context())


class Suffix(msgspec.Struct, kw_only=True):
    text: str = "!"
    times: int = 1


@plugin(name="suffix", stage=Stage.TRANSFORM, applies_to="call", config=Suffix)
async def suffix(event: CallLogEvent, context: PluginContext, config: Suffix) -> CallLogEvent:
    return msgspec.structs.replace(event, note=f"{event.note}{config.text * config.times}")


class Required(msgspec.Struct, kw_only=True):
    url: str


@plugin(name="needs_url", stage=Stage.ENRICH, config=Required)
async def needs_url(event: CallLogEvent, context: PluginContext, config: Required) -> CallLogEvent:
    return msgspec.structs.replace(event, note=f"{event.note}@{config.url}")


def entry(value: Any) -> dict[str, Any]:
    return {"value": value}


@pytest.mark.parametrize(
    ("settings", "note"),
    [
        ({}, "hi!"),
        ({"plugin_suffix": entry({"config": {"text": {"value": "?"}}})}, "hi?"),
        ({"plugin_suffix": entry({"config": {"text": "?", "times": "3"}})}, "hi???"),  # bare values, lenient types
        ({"plugin_suffix": entry({"config": {"text": {"value": ""}}})}, "hi!"),  # empty -> default
        ({"plugin_suffix": entry({"enabled": False, "config": {"text": "?"}})}, "hi"),
        ({"plugin_suffix": entry(False)}, "hi"),
        ({"plugin_suffix": entry({"enabled": True})}, "hi!"),
    ],
)
async def test_config_and_enabled_come_from_the_account_settings(settings: dict[str, Any], note: str) -> None:
    prepared = await Pipeline([spec_of(suffix)]).prepare(call_event(note="hi"), context=context(user_settings=settings))
    assert prepared.event.note == note


async def test_two_accounts_get_their_own_config() -> None:
    pipeline = Pipeline([spec_of(suffix)])
    first = await pipeline.prepare(call_event(note="a"), context=context(user_settings={"plugin_suffix": entry({"config": {"text": "1"}})}))
    second = await pipeline.prepare(call_event(note="b"), context=context(user_settings={"plugin_suffix": entry({"config": {"text": "2"}})}))
    assert (first.event.note, second.event.note) == ("a1", "b2")


async def test_a_plugin_with_required_config_is_inactive_until_configured() -> None:
    pipeline = Pipeline([spec_of(needs_url)])
    unconfigured = await pipeline.prepare(call_event(note="n"), context=context())
    assert unconfigured.applied == [] and unconfigured.warnings == []
    configured = await pipeline.prepare(
        call_event(note="n"), context=context(user_settings={"plugin_needs_url": entry({"config": {"url": {"value": "x"}}})})
    )
    assert configured.event.note == "n@x"


async def test_an_unusable_config_follows_on_error() -> None:
    settings = {"plugin_suffix": entry({"config": {"times": {"value": "many"}}})}
    prepared = await Pipeline([spec_of(suffix)]).prepare(call_event(note="n"), context=context(user_settings=settings))
    assert prepared.event.note == "n"
    assert prepared.warnings[0].startswith("Plugin suffix skipped: invalid config in plugin_suffix:")


async def test_settings_resolver_merges_account_settings_only_when_plugins_run() -> None:
    asked: list[str] = []

    async def resolve(ctx: PluginContext) -> dict[str, Any]:
        asked.append(ctx.user_id)
        return {"plugin_suffix": entry({"config": {"text": "#"}})}

    pipeline = Pipeline([spec_of(suffix)], resolve_settings=resolve)
    prepared = await pipeline.prepare(call_event(note="n"), context=context())
    assert prepared.event.note == "n#" and asked == ["u-1"]
    await pipeline.prepare(message_event(), context=context())  # suffix does not apply: no lookup
    assert asked == ["u-1"]


async def test_trace_logs_every_call_with_duration_and_outcome(caplog: pytest.LogCaptureFixture) -> None:
    pipeline = Pipeline([appender("changes"), failing("breaks", "skip", order=200)], trace=True)
    with caplog.at_level(logging.INFO, logger="composer.pipeline.runner"):
        await pipeline.prepare(call_event(), context=context())
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("plugin.call")]
    assert len(lines) == 2
    assert "plugin=changes stage=TRANSFORM kind=call.create duration_ms=" in lines[0] and "outcome=changed" in lines[0]
    assert "plugin=breaks" in lines[1] and "outcome=skipped" in lines[1]


async def test_without_trace_nothing_is_logged_for_successful_calls(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="composer.pipeline.runner"):
        await Pipeline([appender("quiet")]).prepare(call_event(), context=context())
    assert caplog.records == []


class MemoryQueue:
    def __init__(self) -> None:
        self.tasks: list[NewTask] = []

    async def enqueue(self, tasks: Sequence[NewTask]) -> list[str]:
        self.tasks.extend(tasks)
        return [str(i) for i, _ in enumerate(tasks)]


def side_effect(name: str, **options: Any) -> PluginSpec:
    @plugin(name=name, stage=Stage.SIDE_EFFECT, **options)
    async def effect(event: Any, result: Any, context: Any) -> None: ...

    return spec_of(effect)


async def test_after_queues_one_task_per_side_effect_and_wakes_the_worker() -> None:
    queue = MemoryQueue()
    woken: list[bool] = []
    pipeline = Pipeline(
        [side_effect("one", max_attempts=3), side_effect("two"), appender("not_a_side_effect")],
        tasks=queue,  # type: ignore[arg-type]
        wake=lambda: woken.append(True),
    )
    await pipeline.after(call_event(), result={"successful": True, "logId": "L-1"}, context=context())
    assert [(t.plugin, t.max_attempts) for t in queue.tasks] == [("one", 3), ("two", 5)]
    assert woken == [True]
    payload = msgspec.json.decode(queue.tasks[0].payload)
    assert payload["result"]["log_id"] == "L-1" and payload["event"]["session_id"] == "s-1"


async def test_after_does_nothing_for_an_unsuccessful_write_or_disabled_plugins() -> None:
    queue = MemoryQueue()
    pipeline = Pipeline([side_effect("one")], tasks=queue)  # type: ignore[arg-type]
    await pipeline.after(call_event(), result={"successful": False}, context=context())
    disabled = context(user_settings={"plugin_one": entry({"enabled": False})})
    await pipeline.after(call_event(), result={"successful": True, "logId": "1"}, context=disabled)
    assert queue.tasks == []


async def test_after_never_raises_when_the_queue_fails(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        async def enqueue(self, tasks: Any) -> list[str]:
            raise OSError("disk")

    pipeline = Pipeline([side_effect("one")], tasks=Broken())  # type: ignore[arg-type]
    await pipeline.after(call_event(), result={"logId": "1"}, context=context())
    assert any("plugin.enqueue_failed" in r.getMessage() for r in caplog.records)


async def test_plugins_for_lists_the_static_pipeline_of_a_kind() -> None:
    pipeline = Pipeline([side_effect("later"), appender("first", stage=Stage.ENRICH)])
    assert [p.name for p in pipeline.plugins_for("call.create")] == ["first", "later"]


async def test_plugins_that_wait_run_to_completion_inside_the_deadline() -> None:
    @plugin(name="waits", stage=Stage.TRANSFORM, timeout=2)
    async def waits(event: CallLogEvent, context: PluginContext) -> CallLogEvent:
        await asyncio.sleep(0)
        await asyncio.sleep(0.01)
        return msgspec.structs.replace(event, note="waited")

    @plugin(name="waits_then_fails", stage=Stage.TRANSFORM, order=200)
    async def waits_then_fails(event: Any, context: Any) -> None:
        await asyncio.sleep(0)
        raise LookupError("late failure")

    prepared = await Pipeline([spec_of(waits), spec_of(waits_then_fails)]).prepare(call_event(), context=context())
    assert prepared.event.note == "waited"
    assert prepared.warnings == ["Plugin waits_then_fails skipped: failed: LookupError: late failure"]


def busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def test_the_deadline_counts_from_the_start_of_the_plugin() -> None:
    @plugin(name="busy_then_waits", stage=Stage.TRANSFORM, timeout=0.1)
    async def busy_then_waits(event: Any, context: Any) -> None:
        busy(0.08)  # CPU work in the first step (no timer can interrupt it)
        await asyncio.sleep(0.05)

    prepared = await Pipeline([spec_of(busy_then_waits)]).prepare(call_event(), context=context())
    assert prepared.warnings == ["Plugin busy_then_waits skipped: timed out after 0.1 s"]


async def test_cancelling_the_request_cancels_a_waiting_plugin() -> None:
    cleaned = asyncio.Event()

    @plugin(name="hangs", stage=Stage.TRANSFORM, timeout=60)
    async def hangs(event: Any, context: Any) -> None:
        try:
            await asyncio.sleep(60)
        finally:
            cleaned.set()

    task = asyncio.create_task(Pipeline([spec_of(hangs)]).prepare(call_event(), context=context()))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned.is_set()
