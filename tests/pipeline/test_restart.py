"""Durability across restarts: side-effect tasks pending at shutdown run after the next start.

Both backends (the ``database_url`` fixture): the runtime is closed and opened again on the
same database, exactly as a server restart does.
"""

from __future__ import annotations

from pathlib import Path

from composer.pipeline.discovery import discover
from composer.pipeline.runner import Pipeline
from composer.security.crypto import SecretBox
from composer.security.keys import load_or_create_keys
from composer.settings import Settings
from composer.store import open_store
from tests.pipeline._helpers import call_event, context, eventually, running, value, write_plugin

RECORDER = """
    import asyncio
    from pathlib import Path

    import msgspec

    from composer.pipeline import LogEvent, LogResult, PluginContext, Stage, plugin


    class Target(msgspec.Struct):
        path: str


    @plugin(name="recorder", stage=Stage.SIDE_EFFECT, timeout=60, config=Target)
    async def recorder(event: LogEvent, result: LogResult, context: PluginContext, config: Target) -> None:
        if Path(config.path + ".block").exists():
            Path(config.path + ".started").write_text("yes")
            await asyncio.sleep(3600)
        with open(config.path, "a") as out:
            out.write(f"{result.log_id} {context.task_id}\\n")
"""


def set_blocked(target: Path, is_blocked: bool) -> None:
    """The recorder hangs (a delivery in flight) while ``<target>.block`` exists."""
    marker = Path(f"{target}.block")
    if is_blocked:
        marker.write_text("")
    else:
        marker.unlink()


def recorder_settings(target: Path) -> dict[str, object]:
    return {"plugin_recorder": {"value": {"config": {"path": {"value": str(target)}}}}}


async def wait_for_file(path: Path) -> str:
    text: str = await eventually(lambda: value(path.read_text() if path.exists() else ""))
    return text


async def test_a_task_interrupted_by_shutdown_runs_after_restart(
    tmp_path: Path, settings: Settings, plugins_dir: Path, database_url: str
) -> None:
    write_plugin(plugins_dir, "recorder.py", RECORDER)
    target = tmp_path / "deliveries.txt"
    set_blocked(target, True)
    settings = settings.with_overrides(database_url=database_url)
    user = context(user_settings=recorder_settings(target))

    async with running(settings) as rt:
        await rt.pipeline.after(call_event(), result={"successful": True, "logId": "L-7"}, context=user)
        await wait_for_file(Path(f"{target}.started"))
    # closed mid-delivery: the task was released, not lost and not counted
    set_blocked(target, False)
    async with running(settings) as rt:
        line = await wait_for_file(target)
        (row,) = await rt.store.plugin_tasks.list()
    assert line.split()[0] == "L-7" and line.split()[1] == row.id
    assert row.attempts == 1


async def test_tasks_queued_by_a_process_that_died_run_at_the_next_start(
    tmp_path: Path, settings: Settings, plugins_dir: Path, database_url: str
) -> None:
    write_plugin(plugins_dir, "recorder.py", RECORDER)
    target = tmp_path / "deliveries.txt"
    settings = settings.with_overrides(database_url=database_url)
    keys = load_or_create_keys(settings)
    store = await open_store(database_url, SecretBox(keys.data_key))
    try:
        # A process that queued the side effects and stopped before any worker ran them.
        pipeline = Pipeline(discover(plugins_dir, entry_points=[]).plugins, tasks=store.plugin_tasks)
        await pipeline.after(call_event(), result={"logId": "L-1"}, context=context(user_settings=recorder_settings(target)))
        await pipeline.after(call_event(), result={"logId": "L-2"}, context=context(user_settings=recorder_settings(target)))
    finally:
        await store.close()
    async with running(settings):
        await eventually(lambda: value(target.exists() and len(target.read_text().splitlines()) == 2))
    assert sorted(line.split()[0] for line in target.read_text().splitlines()) == ["L-1", "L-2"]
