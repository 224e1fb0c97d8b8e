"""Helpers of the pipeline and plugin tests: specs from functions, plugin files, events, runtimes."""

from __future__ import annotations

import asyncio
import base64
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from composer.pipeline import CallLogEvent, ContactRef, MessageLogEvent, PluginContext
from composer.pipeline._contract import DECLARATION_ATTRIBUTE, PluginSpec, validate
from composer.pipeline.tasks import WorkerOptions
from composer.services.plugins import WORKER_OPTIONS_KEY
from composer.services.runtime import Runtime, open_runtime
from composer.settings import Settings

FAST_WORKER = WorkerOptions(
    idle_poll=True, poll_interval=0.05, base_delay=0.05, max_delay=0.2, shutdown_grace=0.5, maintenance_interval=60
)


def spec_of(fn: Callable[..., Any], *, source: str = "test.py") -> PluginSpec:
    """The validated spec of an ``@plugin`` function."""
    return validate(getattr(fn, DECLARATION_ATTRIBUTE), source=source)


def write_plugin(directory: Path, name: str, source: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(source))
    return path


def call_event(**changes: Any) -> CallLogEvent:
    values: dict[str, Any] = {
        "kind": "call.create",
        "platform": "local",
        "user_id": "u-1",
        "session_id": "s-1",
        "call_log": {"sessionId": "s-1", "direction": "Inbound"},
        "contact": ContactRef(id="c-1", name="Pat Doe", type="Contact", phone_number="+16505550100"),
        "note": "hello",
    }
    values.update(changes)
    return CallLogEvent(**values)


def message_event(**changes: Any) -> MessageLogEvent:
    values: dict[str, Any] = {
        "platform": "local",
        "user_id": "u-1",
        "conversation_id": "conv-1",
        "messages": [{"id": 1, "subject": "hi there"}],
    }
    values.update(changes)
    return MessageLogEvent(**values)


def context(**changes: Any) -> PluginContext:
    values: dict[str, Any] = {"platform": "local", "user_id": "u-1"}
    values.update(changes)
    return PluginContext(**values)


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=tmp_path / "data",
        secret_key="p" * 48,
        data_key=base64.b64encode(b"q" * 32).decode(),
        plugins_dir=tmp_path / "plugins",
        log_level="WARNING",
    )
    return base.with_overrides(**overrides)


def fast_worker(rt: Runtime) -> None:
    """A registry hook: short retry delays and polling, for tests."""
    rt.extensions[WORKER_OPTIONS_KEY] = FAST_WORKER


@asynccontextmanager
async def running(settings: Settings, *, hooks: tuple[Callable[[Runtime], None], ...] = (fast_worker,)) -> AsyncIterator[Runtime]:
    async with open_runtime(settings, registry_hooks=hooks) as rt:
        yield rt


async def eventually(check: Callable[[], Awaitable[Any]], *, limit: float = 10.0, interval: float = 0.02) -> Any:
    """Poll ``check`` until it returns something truthy (and return that); fails after ``limit`` s."""
    async with asyncio.timeout(limit):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(interval)


async def value(x: Any) -> Any:
    """``eventually(lambda: value(expr))`` for checks that need no awaiting."""
    return x
