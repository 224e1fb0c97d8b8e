"""Runs plugins around a logging operation.

``prepare`` runs ENRICH then TRANSFORM plugins (in stage, order, name order) before the
body is composed; ``after`` hands the final event and the CRM result to SIDE_EFFECT plugins
as durable tasks (``composer.pipeline.tasks``), so a restart does not lose them.

Invariants:

* the order is deterministic: (stage, order, name), static plugins and the remote adapter's
  per-account plugins alike;
* every plugin call is bounded by its ``timeout``; a failure, a timeout, an unusable config
  or a wrong return value follows ``on_error``: ``skip`` keeps the event as it was before
  that plugin and adds a warning naming it, ``abort`` raises ``PluginAborted`` (the caller
  then writes nothing to the CRM);
* the per-kind plugin lists are computed once, so an event no plugin applies to costs a
  dictionary lookup and a ``Prepared`` allocation.
"""

from __future__ import annotations

import asyncio
import logging
import time
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator, Sequence
from typing import Any, Protocol

import httpx
import msgspec

from composer.pipeline._config import INACTIVE, ConfigProblem, plugin_state
from composer.pipeline._contract import PluginSpec, Stage
from composer.pipeline.events import (
    EVENT_KINDS,
    CallLogEvent,
    EventKind,
    LogEvent,
    LogResult,
    MessageLogEvent,
)
from composer.pipeline.exceptions import PluginAborted
from composer.pipeline.tasks import ClaimedTask, NewTask, TaskQueue

__all__ = ["Pipeline", "PluginAborted", "PluginContext", "PluginProvider", "Prepared", "Problem"]

log = logging.getLogger(__name__)

SIDE_EFFECT_TASK = "side_effect"

SettingsResolver = Callable[["PluginContext"], Awaitable[dict[str, Any]]]
"""Gives the settings plugins see for a context (the account admin's entries merged in)."""


class PluginContext(msgspec.Struct, kw_only=True, frozen=True):
    """What a plugin may use besides the event."""

    platform: str  # the connector name, e.g. "local", "clio"
    user_id: str  # the App Connect user (CRM user) id
    # Merged admin/user settings (spec §8); plugins read their own through their typed config.
    user_settings: dict[str, Any] = msgspec.field(default_factory=dict)
    # ``await call_connector("findContact", phoneNumber=...)`` calls a connector interface for
    # this user with authHeader/proxyConfig filled in. None where no CRM session is at hand
    # (previews without credentials, SIDE_EFFECT tasks).
    call_connector: Callable[..., Awaitable[Any]] | None = None
    rc_account_id: str = ""  # the RingCentral account, when known
    hashed_extension_id: str = ""  # the client's hashed RingCentral extension id, when known
    # SIDE_EFFECT only: the durable task id, identical across retries; an idempotency key.
    task_id: str = ""
    # The server's shared HTTP client (pooled, with timeouts). Never open your own per call.
    http: httpx.AsyncClient | None = None


class Prepared(msgspec.Struct, kw_only=True):
    event: LogEvent
    applied: list[str] = msgspec.field(default_factory=list)  # plugins that ran, in order
    warnings: list[str] = msgspec.field(default_factory=list)  # one per skipped plugin


class Problem(msgspec.Struct, kw_only=True, frozen=True):
    """A plugin file or declaration discovery refused (shown by ``appconnect plugins``)."""

    source: str
    message: str


class PluginProvider(Protocol):
    """Plugins that exist per account (the remote adapter); merged into the static order."""

    name: str
    description: str

    def is_active(self, context: PluginContext) -> bool:
        """Cheap and synchronous: may this provider have plugins for ``context``?"""

    async def plugins_for(self, context: PluginContext, kind: EventKind) -> Sequence[PluginSpec]: ...

    async def plugin_named(self, name: str, context: PluginContext) -> PluginSpec | None: ...


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], yielded: Any) -> Generator[Any, Any, Any]:
    """Continue a coroutine that already ran its first step, inside the awaiting task.

    Why: most plugins (redaction, a note line) finish without awaiting anything, and arming
    an ``asyncio.timeout`` costs more than such a plugin. So ``prepare`` runs a plugin's
    first step directly and only a plugin that actually suspends continues here, under a
    deadline counted from its start (a timer could not interrupt the first step anyway: it
    runs without yielding to the loop).

    Equivalent to ``yield from`` on the rest of the coroutine: what it yields goes to the
    task, what the task sends or throws (cancellation on timeout) goes back into it.
    """
    while True:
        try:
            sent = yield yielded
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:
            try:
                yielded = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                yielded = coro.send(sent)
            except StopIteration as stop:
                return stop.value


class _TaskContext(msgspec.Struct, kw_only=True, frozen=True):
    platform: str
    user_id: str
    rc_account_id: str = ""
    hashed_extension_id: str = ""
    user_settings: dict[str, Any] = msgspec.field(default_factory=dict)


class _TaskEnvelope(msgspec.Struct, kw_only=True, frozen=True):
    v: int = 1
    event_type: str  # "call" | "message"
    event: msgspec.Raw
    result: LogResult
    context: _TaskContext
    config: Any = None


_encoder = msgspec.json.Encoder()


def _outcome_kind(event: LogEvent) -> str:
    return "message" if isinstance(event, MessageLogEvent) else "call"


class Pipeline:
    """The discovered plugins, ready to run. Read-only after start-up."""

    def __init__(
        self,
        plugins: Sequence[PluginSpec] = (),
        *,
        providers: Sequence[PluginProvider] = (),
        tasks: TaskQueue | None = None,
        wake: Callable[[], None] | None = None,
        http: httpx.AsyncClient | None = None,
        resolve_settings: SettingsResolver | None = None,
        trace: bool = False,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.plugins: tuple[PluginSpec, ...] = tuple(sorted(plugins, key=lambda p: p.sort_key))
        self.providers: tuple[PluginProvider, ...] = tuple(providers)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self._by_name = {p.name: p for p in self.plugins}
        self._before: dict[str, tuple[PluginSpec, ...]] = {
            kind: tuple(p for p in self.plugins if p.stage is not Stage.SIDE_EFFECT and kind in p.applies_to)
            for kind in EVENT_KINDS
        }
        self._after: dict[str, tuple[PluginSpec, ...]] = {
            kind: tuple(p for p in self.plugins if p.stage is Stage.SIDE_EFFECT and kind in p.applies_to)
            for kind in EVENT_KINDS
        }
        self._tasks = tasks
        self._wake = wake
        self._http = http
        self._resolve_settings = resolve_settings
        self._trace = trace

    # ----------------------------------------------------------------- before the CRM write

    async def prepare(self, event: LogEvent, *, context: PluginContext) -> Prepared:
        """Run ENRICH and TRANSFORM plugins; raises ``PluginAborted`` (write nothing then)."""
        plugins = self._before.get(event.kind, ())
        warnings: list[str] = []
        if self.providers:
            plugins = await self._merge_dynamic(plugins, context, event.kind, side_effects=False, warnings=warnings)
        if not plugins:
            return Prepared(event=event, warnings=warnings)
        context = await self._complete(context)
        applied: list[str] = []
        settings = context.user_settings
        for spec in plugins:
            if spec.guard is not None and not spec.guard(context):
                continue
            state = plugin_state(spec, settings)
            if state is INACTIVE:
                self._trace_call(spec, event, 0.0, "inactive")
                continue
            if isinstance(state, ConfigProblem):
                self._failed(spec, event, state.message, warnings, 0.0)
                continue
            started = time.monotonic()  # the event loop's clock: deadlines are loop times
            try:
                # The first step runs without a timer; see _resume for why.
                coro = spec.invoke(event, context, state, None)
                try:
                    yielded = coro.send(None)
                except StopIteration as stop:
                    changed = stop.value
                else:
                    async with asyncio.timeout_at(started + spec.timeout):
                        changed = await _resume(coro, yielded)
            except TimeoutError:
                self._failed(spec, event, f"timed out after {spec.timeout:g} s", warnings, started)
                continue
            except Exception as exc:
                self._failed(spec, event, f"failed: {type(exc).__name__}: {exc}"[:300], warnings, started, exc)
                continue
            if changed is not None:
                if type(changed) is not type(event) or changed.kind != event.kind:
                    problem = (
                        f"returned {type(changed).__name__}; return a changed copy of the "
                        f"{type(event).__name__} (msgspec.structs.replace) or None"
                    )
                    self._failed(spec, event, problem, warnings, started)
                    continue
                event = changed
            applied.append(spec.name)
            if self._trace:
                self._trace_call(spec, event, started, "unchanged" if changed is None else "changed")
        return Prepared(event=event, applied=applied, warnings=warnings)

    async def _complete(self, context: PluginContext) -> PluginContext:
        """The context plugins see: the account's merged settings and the shared HTTP client."""
        changes: dict[str, Any] = {}
        if context.http is None and self._http is not None:
            changes["http"] = self._http
        if self._resolve_settings is not None:
            try:
                changes["user_settings"] = await self._resolve_settings(context)
            except Exception as exc:  # the user's own settings still apply
                log.warning("plugin.settings_unavailable error=%s", type(exc).__name__)
        return msgspec.structs.replace(context, **changes) if changes else context

    def _failed(
        self,
        spec: PluginSpec,
        event: LogEvent,
        problem: str,
        warnings: list[str],
        started: float,
        exc: Exception | None = None,
    ) -> None:
        error = type(exc).__name__ if exc is not None else problem.split(":", 1)[0]
        if spec.on_error == "abort":
            log.warning("plugin.aborted plugin=%s kind=%s error=%s", spec.name, event.kind, error)
            self._trace_call(spec, event, started, "aborted")
            raise PluginAborted(spec.name, problem) from exc
        log.warning("plugin.skipped plugin=%s kind=%s error=%s", spec.name, event.kind, error)
        self._trace_call(spec, event, started, "skipped")
        warnings.append(f"Plugin {spec.name} skipped: {problem}")

    def _trace_call(self, spec: PluginSpec, event: LogEvent, started: float, outcome: str) -> None:
        if self._trace:
            duration_ms = (time.monotonic() - started) * 1000 if started else 0.0
            log.info(
                "plugin.call plugin=%s stage=%s kind=%s duration_ms=%.3f outcome=%s",
                spec.name, spec.stage.name, event.kind, duration_ms, outcome,
            )

    async def _merge_dynamic(
        self,
        static: tuple[PluginSpec, ...],
        context: PluginContext,
        kind: EventKind,
        *,
        side_effects: bool,
        warnings: list[str],
    ) -> tuple[PluginSpec, ...]:
        extra: list[PluginSpec] = []
        for provider in self.providers:
            if not provider.is_active(context):
                continue
            try:
                found = await provider.plugins_for(context, kind)
            except Exception as exc:
                log.warning("plugin.provider_failed provider=%s error=%s", provider.name, type(exc).__name__)
                warnings.append(f"Plugins of {provider.name} skipped: they could not be loaded")
                continue
            extra.extend(p for p in found if (p.stage is Stage.SIDE_EFFECT) == side_effects)
        if not extra:
            return static
        return tuple(sorted((*static, *extra), key=lambda p: p.sort_key))

    # ----------------------------------------------------------------- after the CRM write

    async def after(self, event: LogEvent, *, result: dict[str, Any], context: PluginContext) -> None:
        """Queue one durable task per SIDE_EFFECT plugin; never raises (the CRM write is done)."""
        plugins = self._after.get(event.kind, ())
        if self.providers:
            plugins = await self._merge_dynamic(plugins, context, event.kind, side_effects=True, warnings=[])
        if not plugins:
            return
        outcome = LogResult.from_answer(result)
        if not outcome.successful:
            return
        context = await self._complete(context)
        new_tasks: list[NewTask] = []
        raw_event = msgspec.Raw(_encoder.encode(event))
        for spec in plugins:
            if spec.guard is not None and not spec.guard(context):
                continue
            state = plugin_state(spec, context.user_settings)
            if state is INACTIVE:
                continue
            if isinstance(state, ConfigProblem):
                log.warning("plugin.skipped plugin=%s kind=%s error=config", spec.name, event.kind)
                continue
            own = context.user_settings.get(spec.key)
            envelope = _TaskEnvelope(
                event_type=_outcome_kind(event),
                event=raw_event,
                result=outcome,
                context=_TaskContext(
                    platform=context.platform,
                    user_id=context.user_id,
                    rc_account_id=context.rc_account_id,
                    hashed_extension_id=context.hashed_extension_id,
                    user_settings={spec.key: own} if own is not None else {},
                ),
                config=msgspec.to_builtins(state) if state is not None else None,
            )
            payload = _encoder.encode(envelope).decode()
            new_tasks.append(NewTask(plugin=spec.name, kind=SIDE_EFFECT_TASK, payload=payload, max_attempts=spec.max_attempts))
            self._trace_call(spec, event, 0.0, "queued")
        if not new_tasks:
            return
        if self._tasks is None:
            log.error("plugin.tasks_dropped count=%d reason=no_task_queue", len(new_tasks))
            return
        try:
            await self._tasks.enqueue(new_tasks)
        except Exception as exc:  # the CRM write succeeded; losing the side effects is what is left
            log.error("plugin.enqueue_failed count=%d error=%s", len(new_tasks), type(exc).__name__)
            return
        if self._wake is not None:
            self._wake()

    async def run_task(self, task: ClaimedTask) -> None:
        """Run one claimed SIDE_EFFECT task (called by the worker); raises on failure."""
        envelope = msgspec.json.decode(task.payload, type=_TaskEnvelope)
        event_type: type[CallLogEvent] | type[MessageLogEvent] = (
            MessageLogEvent if envelope.event_type == "message" else CallLogEvent
        )
        event = msgspec.json.decode(envelope.event, type=event_type)
        saved = envelope.context
        context = PluginContext(
            platform=saved.platform,
            user_id=saved.user_id,
            user_settings=saved.user_settings,
            rc_account_id=saved.rc_account_id,
            hashed_extension_id=saved.hashed_extension_id,
            task_id=task.id,
            http=self._http,
        )
        spec = self._by_name.get(task.plugin)
        if spec is None:
            for provider in self.providers:
                spec = await provider.plugin_named(task.plugin, context)
                if spec is not None:
                    break
        if spec is None:
            raise LookupError(f"plugin {task.plugin!r} is not loaded")
        config = msgspec.convert(envelope.config, spec.config_type) if spec.config_type is not None else None
        started = time.monotonic()
        try:
            async with asyncio.timeout(spec.timeout):
                await spec.invoke(event, context, config, envelope.result)
        except BaseException:
            self._trace_call(spec, event, started, "failed")
            raise
        self._trace_call(spec, event, started, "delivered")

    # ----------------------------------------------------------------- introspection

    def plugins_for(self, kind: EventKind) -> tuple[PluginSpec, ...]:
        """The static plugins an event kind goes through, in execution order."""
        return self._before.get(kind, ()) + self._after.get(kind, ())
