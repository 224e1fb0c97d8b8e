"""The side-effect worker over the real task table: retries, backoff, dead letters, shutdown."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from composer.pipeline.tasks import ClaimedTask, NewTask, TaskWorker, WorkerOptions, backoff_delay
from composer.store import Store

FAST = WorkerOptions(idle_poll=True, poll_interval=0.02, base_delay=0.02, max_delay=0.1, shutdown_grace=0.2)


def task(plugin: str = "p", max_attempts: int = 4) -> NewTask:
    return NewTask(plugin=plugin, kind="side_effect", payload="{}", max_attempts=max_attempts)


async def wait_for(predicate: Any, limit: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def test_backoff_is_exponential_capped_and_jittered() -> None:
    delays = [backoff_delay(n, base=2.0, cap=60.0, jitter=0.0) for n in range(1, 8)]
    assert delays == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    jittered = {round(backoff_delay(3, base=2.0, cap=60.0), 3) for _ in range(50)}
    assert all(6.4 <= d <= 9.6 for d in jittered) and len(jittered) > 1


async def test_a_failing_task_is_retried_then_delivered_once(store: Store) -> None:
    attempts: list[int] = []

    async def run(claimed: ClaimedTask) -> None:
        attempts.append(claimed.attempts)
        if claimed.attempts < 3:
            raise ConnectionError("receiver down")

    worker = TaskWorker(store.plugin_tasks, run, options=FAST)
    await worker.start()
    try:
        (task_id,) = await store.plugin_tasks.enqueue([task()])
        worker.wake()

        async def done() -> bool:
            row = await store.plugin_tasks.get(task_id)
            return row is not None and row.state == "done"

        await wait_for(done)
    finally:
        await worker.stop()
    assert attempts == [1, 2, 3]


async def test_the_last_failure_is_a_dead_letter_logged_at_error(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    async def run(claimed: ClaimedTask) -> None:
        raise TimeoutError

    worker = TaskWorker(store.plugin_tasks, run, options=FAST)
    await worker.start()
    try:
        (task_id,) = await store.plugin_tasks.enqueue([task(max_attempts=2)])
        worker.wake()

        async def dead() -> bool:
            row = await store.plugin_tasks.get(task_id)
            return row is not None and row.state == "dead"

        with caplog.at_level(logging.WARNING, logger="composer.pipeline.tasks"):
            await wait_for(dead)
    finally:
        await worker.stop()
    row = await store.plugin_tasks.get(task_id)
    assert row is not None and row.attempts == 2 and row.last_error == "timed out"
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert any(level == logging.WARNING and "plugin.task.retry" in m for level, m in messages)
    assert any(level == logging.ERROR and "plugin.task.dead plugin=p" in m for level, m in messages)


async def test_stop_releases_running_tasks_without_counting_the_attempt(store: Store) -> None:
    started = asyncio.Event()

    async def run(claimed: ClaimedTask) -> None:
        started.set()
        await asyncio.sleep(60)

    worker = TaskWorker(store.plugin_tasks, run, options=FAST)
    await worker.start()
    (task_id,) = await store.plugin_tasks.enqueue([task()])
    worker.wake()
    await asyncio.wait_for(started.wait(), 5)
    await worker.stop()
    row = await store.plugin_tasks.get(task_id)
    assert row is not None and (row.state, row.attempts) == ("pending", 0)


async def test_stop_lets_quick_tasks_finish(store: Store) -> None:
    started = asyncio.Event()

    async def run(claimed: ClaimedTask) -> None:
        started.set()
        await asyncio.sleep(0.05)

    worker = TaskWorker(store.plugin_tasks, run, options=FAST)
    await worker.start()
    (task_id,) = await store.plugin_tasks.enqueue([task()])
    worker.wake()
    await asyncio.wait_for(started.wait(), 5)
    await worker.stop()
    row = await store.plugin_tasks.get(task_id)
    assert row is not None and row.state == "done"


class CountingQueue:
    """Counts how often the worker touches the table."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return await method(*args, **kwargs)

        return counted


async def test_without_idle_polling_an_idle_worker_leaves_the_table_alone(store: Store) -> None:
    ran: list[str] = []

    async def run(claimed: ClaimedTask) -> None:
        ran.append(claimed.id)

    queue = CountingQueue(store.plugin_tasks)
    options = WorkerOptions(idle_poll=False, poll_interval=0.01, base_delay=0.01, max_delay=0.05)
    worker = TaskWorker(queue, run, options=options)  # type: ignore[arg-type]
    await worker.start()
    try:
        await asyncio.sleep(0.2)
        assert queue.calls == 1  # the look at start-up
        await store.plugin_tasks.enqueue([task()])
        worker.wake()
        await wait_for(lambda: asyncio.sleep(0, result=len(ran) == 1))
        await asyncio.sleep(0.05)
        calls = queue.calls
        await asyncio.sleep(0.2)
        assert queue.calls == calls
    finally:
        await worker.stop()


async def test_tasks_waiting_before_start_run_without_a_wake(store: Store) -> None:
    ran: list[str] = []

    async def run(claimed: ClaimedTask) -> None:
        ran.append(claimed.plugin)

    await store.plugin_tasks.enqueue([task("left_over")])
    worker = TaskWorker(store.plugin_tasks, run, options=WorkerOptions(idle_poll=False))
    await worker.start()
    try:
        await wait_for(lambda: asyncio.sleep(0, result=ran == ["left_over"]))
    finally:
        await worker.stop()


async def test_a_known_retry_runs_without_polling(store: Store) -> None:
    attempts: list[int] = []

    async def run(claimed: ClaimedTask) -> None:
        attempts.append(claimed.attempts)
        if claimed.attempts == 1:
            raise ValueError("first time fails")

    options = WorkerOptions(idle_poll=False, base_delay=0.05, max_delay=0.05)
    worker = TaskWorker(store.plugin_tasks, run, options=options)
    await worker.start()
    try:
        await store.plugin_tasks.enqueue([task()])
        worker.wake()
        await wait_for(lambda: asyncio.sleep(0, result=attempts == [1, 2]))
    finally:
        await worker.stop()


async def test_maintenance_runs_and_its_failures_are_only_logged(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    async def ok() -> None:
        ran.append("ok")

    async def broken() -> None:
        raise OSError("nope")

    async def run(claimed: ClaimedTask) -> None: ...

    worker = TaskWorker(store.plugin_tasks, run, options=FAST, maintenance=(broken, ok))
    await worker.start()
    try:
        await wait_for(lambda: asyncio.sleep(0, result=bool(ran)))
    finally:
        await worker.stop()
    assert any("plugin.worker.maintenance_failed error=OSError" in r.getMessage() for r in caplog.records)
