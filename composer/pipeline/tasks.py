"""Durable side-effect tasks: the queue protocol and the background worker that drains it.

SIDE_EFFECT plugins never run on the request path. ``Pipeline.after`` inserts one task row
per plugin (``plugin_tasks``), and a ``TaskWorker`` started in the runtime lifespan claims
due rows, runs them, and records the outcome:

* success -> ``done``;
* failure or timeout -> ``pending`` again after an exponential backoff
  (``base_delay * 2**(attempt-1)``, capped, with +-20 % jitter), until ``max_attempts``;
* the last failure -> ``dead`` (the dead-letter state, logged at ERROR: a person must look).

Claims are leases (``locked_until``): a worker that dies mid-task leaves a row another
worker reclaims when the lease runs out, so delivery is *at least once*. The task id is
stable across attempts and is given to the plugin as ``context.task_id`` so receivers can
de-duplicate. Rows pending at shutdown simply run after the next start; a task interrupted
by shutdown is released without counting the attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import msgspec

__all__ = ["ClaimedTask", "NewTask", "TaskQueue", "TaskWorker", "WorkerOptions", "backoff_delay"]

log = logging.getLogger(__name__)


class NewTask(msgspec.Struct, kw_only=True, frozen=True):
    plugin: str
    kind: str  # "side_effect"
    payload: str  # JSON; the store encrypts it at rest
    max_attempts: int = 5


class ClaimedTask(Protocol):
    """A claimed row, as the store returns it (read-only)."""

    @property
    def id(self) -> str: ...
    @property
    def plugin(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> str: ...
    @property
    def attempts(self) -> int:
        """Including the attempt about to run."""
    @property
    def max_attempts(self) -> int: ...


class TaskQueue(Protocol):
    """What the worker and the pipeline need from the task table (``composer.store.plugin_tasks``)."""

    async def enqueue(self, tasks: Sequence[NewTask]) -> list[str]: ...
    async def claim(self, *, limit: int, lease_seconds: float) -> Sequence[ClaimedTask]: ...
    async def complete(self, task_id: str) -> None: ...
    async def retry(self, task_id: str, *, error: str, delay_seconds: float) -> None: ...
    async def bury(self, task_id: str, *, error: str) -> None: ...
    async def release(self, task_id: str) -> None: ...
    async def next_due_in(self) -> float | None:
        """Seconds until the earliest task is due (0 if one is due now); None when nothing waits."""


class WorkerOptions(msgspec.Struct, kw_only=True, frozen=True):
    """Tuning of the worker; the defaults suit production, tests shorten the delays."""

    # Poll every poll_interval seconds even when nothing is known to be due: needed when other
    # instances share the queue (PostgreSQL). Off, the worker touches the database only when
    # woken by an enqueue here or when a task it knows of falls due (SQLite: one instance).
    idle_poll: bool = True
    poll_interval: float = 1.0
    batch_size: int = 16  # tasks claimed and run concurrently per round
    lease_seconds: float = 300.0  # > the longest plugin timeout (120 s)
    base_delay: float = 2.0  # first retry delay; doubles per attempt
    max_delay: float = 600.0
    shutdown_grace: float = 3.0  # seconds running tasks get to finish at shutdown
    maintenance_interval: float = 60.0


def backoff_delay(attempt: int, *, base: float, cap: float, jitter: float = 0.2) -> float:
    """Delay before retry number ``attempt`` (1-based): exponential, capped, jittered."""
    delay = min(cap, base * 2.0 ** max(0, attempt - 1))
    return max(0.0, delay * random.uniform(1 - jitter, 1 + jitter))


Runner = Callable[[ClaimedTask], Awaitable[None]]
Maintenance = Callable[[], Awaitable[None]]


class TaskWorker:
    """Claims and runs due tasks until stopped. One per process; many processes may share a queue."""

    def __init__(
        self,
        queue: TaskQueue,
        run: Runner,
        *,
        options: WorkerOptions | None = None,
        maintenance: Sequence[Maintenance] = (),
    ) -> None:
        self._queue = queue
        self._run = run
        self.options = options or WorkerOptions()
        self._maintenance = tuple(maintenance)
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Poll now (called after tasks were enqueued in this process)."""
        self._wake.set()

    async def start(self) -> None:
        """Look for tasks left from before (a restart), then run the loop in the background.

        The first look happens here, during start-up, so a freshly started server touches the
        task table once before serving and then only when there is something to do.
        """
        if self._loop_task is None:
            delay = await self._queue.next_due_in()
            self._loop_task = asyncio.create_task(self._loop(delay), name="appconnect-plugin-tasks")
            self._loop_task.add_done_callback(self._loop_ended)

    @staticmethod
    def _loop_ended(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("plugin.worker.crashed error=%s", type(task.exception()).__name__)

    async def stop(self) -> None:
        """Let running tasks finish for ``shutdown_grace`` seconds, then cancel and release them."""
        self._stopping = True
        self._wake.set()
        loop_task, self._loop_task = self._loop_task, None
        if loop_task is None:
            return
        done, _ = await asyncio.wait({loop_task}, timeout=self.options.shutdown_grace)
        if not done:
            loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop_task

    async def run_once(self) -> int:
        """Claim one batch of due tasks and run them; the number claimed."""
        tasks = await self._queue.claim(limit=self.options.batch_size, lease_seconds=self.options.lease_seconds)
        if tasks:
            runs = [asyncio.create_task(self._execute(task)) for task in tasks]
            self._running.update(runs)
            try:
                await asyncio.gather(*runs)
            except asyncio.CancelledError:
                for run in runs:
                    run.cancel()
                await asyncio.gather(*runs, return_exceptions=True)
                raise
            finally:
                self._running.difference_update(runs)
        return len(tasks)

    def _idle_timeout(self, delay: float | None) -> float | None:
        if not self.options.idle_poll:
            return delay
        return self.options.poll_interval if delay is None else min(delay, self.options.poll_interval)

    async def _sleep(self, seconds: float | None) -> None:
        """Until woken, or ``seconds`` (None: until woken)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def _loop(self, delay: float | None) -> None:
        loop = asyncio.get_running_loop()
        next_maintenance = loop.time()
        failures = 0
        while not self._stopping:
            timeout = self._idle_timeout(delay)
            if timeout is None or timeout > 0:
                await self._sleep(timeout)
            if self._stopping:
                return
            self._wake.clear()
            try:
                while await self.run_once() and not self._stopping:
                    pass
                if self._maintenance and loop.time() >= next_maintenance:
                    next_maintenance = loop.time() + self.options.maintenance_interval
                    await self._run_maintenance()
                delay = await self._queue.next_due_in()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be briefly unavailable: keep the worker alive
                failures += 1
                log.warning("plugin.worker.poll_failed error=%s failures=%d", type(exc).__name__, failures)
                delay = min(30.0, self.options.poll_interval * 2**failures)

    async def _run_maintenance(self) -> None:
        for job in self._maintenance:
            try:
                await job()
            except Exception as exc:
                log.warning("plugin.worker.maintenance_failed error=%s", type(exc).__name__)

    async def _execute(self, task: ClaimedTask) -> None:
        try:
            await self._run(task)
        except asyncio.CancelledError:
            # Shutdown: give the row back untouched so the next start runs it.
            with contextlib.suppress(Exception):
                await self._queue.release(task.id)
            raise
        except Exception as exc:
            await self._failed(task, exc)
        else:
            await self._queue.complete(task.id)

    async def _failed(self, task: ClaimedTask, exc: Exception) -> None:
        error = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"[:500]
        if task.attempts >= task.max_attempts:
            log.error(
                "plugin.task.dead plugin=%s task=%s attempts=%d error=%s",
                task.plugin, task.id, task.attempts, type(exc).__name__,
            )
            await self._queue.bury(task.id, error=error)
            return
        delay = backoff_delay(task.attempts, base=self.options.base_delay, cap=self.options.max_delay)
        log.warning(
            "plugin.task.retry plugin=%s task=%s attempt=%d delay_s=%.2f error=%s",
            task.plugin, task.id, task.attempts, delay, type(exc).__name__,
        )
        await self._queue.retry(task.id, error=error, delay_seconds=delay)
