"""The plugin contract: ``Stage``, the ``@plugin`` decorator and its validation.

The decorator only *records* the declaration on the function (and returns the function
unchanged, so plugin authors can unit-test it by calling it). Discovery turns each record
into a ``PluginSpec`` through ``validate``, which refuses an unknown stage, a misspelt
option or a wrong signature with a message naming the file, the plugin and the fix; a bad
plugin never gets as far as a request.
"""

from __future__ import annotations

import difflib
import enum
import inspect
import re
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast, get_args

import msgspec

from composer.pipeline.events import EVENT_KINDS, EventKind
from composer.pipeline.exceptions import PluginDefinitionError

__all__ = [
    "DECLARATION_ATTRIBUTE",
    "OPTION_NAMES",
    "Declaration",
    "OnError",
    "PluginSpec",
    "Stage",
    "plugin",
    "validate",
]

F = TypeVar("F", bound=Callable[..., Any])

OnError = Literal["skip", "abort"]

DECLARATION_ATTRIBUTE = "__appconnect_plugin__"

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_KIND_ALIASES: dict[str, tuple[EventKind, ...]] = {
    "call": ("call.create", "call.update"),
    "message": ("message.create",),
    "*": EVENT_KINDS,
}
_MAX_TIMEOUT = 120.0
_DEFAULT_TIMEOUT = 2.0
_DEFAULT_SIDE_EFFECT_TIMEOUT = 10.0
_DEFAULT_MAX_ATTEMPTS = 5


class Stage(enum.IntEnum):
    """When a plugin runs. The integer order is the execution order of the stages."""

    ENRICH = 1  # before composition: add facts (contact company, CRM owner...)
    TRANSFORM = 2  # before composition, after ENRICH: rewrite text (redaction...)
    SIDE_EFFECT = 3  # after the CRM write, as a durable task: notify, export, ...


OPTION_NAMES = (
    "name",
    "stage",
    "order",
    "applies_to",
    "timeout",
    "on_error",
    "config",
    "max_attempts",
    "description",
)


@dataclass(frozen=True, slots=True)
class Declaration:
    """What ``@plugin`` recorded; checked by ``validate`` at discovery."""

    fn: Callable[..., Any]
    options: dict[str, Any]
    unknown: dict[str, Any]


def plugin(
    *,
    name: str | None = None,
    stage: Stage | str | None = None,
    order: int = 100,
    applies_to: Iterable[str] | str | None = None,
    timeout: float | None = None,
    on_error: OnError = "skip",
    config: type[msgspec.Struct] | None = None,
    max_attempts: int | None = None,
    description: str | None = None,
    **unknown: Any,
) -> Callable[[F], F]:
    """Declare an ``async def`` function as a plugin (see docs/plugins.md for every option).

    Nothing is checked here: discovery validates the declaration and reports problems with
    the file name, so one bad plugin never breaks the import of its neighbours.
    """
    options: dict[str, Any] = {
        "name": name,
        "stage": stage,
        "order": order,
        "applies_to": applies_to,
        "timeout": timeout,
        "on_error": on_error,
        "config": config,
        "max_attempts": max_attempts,
        "description": description,
    }

    def record(fn: F) -> F:
        setattr(fn, DECLARATION_ATTRIBUTE, Declaration(fn=fn, options=options, unknown=dict(unknown)))
        return fn

    return record


Invoker = Callable[[Any, Any, Any, Any], Coroutine[Any, Any, Any]]
"""``invoke(event, context, config, result)``: calls the plugin with the parameters it asked for."""


@dataclass(frozen=True, slots=True)
class PluginSpec:
    """A validated plugin, as the runner, the task worker and ``appconnect plugins`` see it."""

    name: str
    stage: Stage
    order: int
    applies_to: frozenset[EventKind]
    timeout: float
    on_error: OnError
    config_type: type[msgspec.Struct] | None
    max_attempts: int
    description: str
    source: str
    invoke: Invoker
    settings_key: str = ""  # "" means plugin_<name>
    # Internal: a cheap predicate evaluated before anything else (the remote adapter uses it).
    guard: Callable[[Any], bool] | None = field(default=None, compare=False)
    key: str = field(init=False, compare=False)  # the settings key, computed once (hot path)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self.settings_key or f"plugin_{self.name}")

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (int(self.stage), self.order, self.name)


def _fail(source: str, plugin_name: str, problem: str, fix: str) -> PluginDefinitionError:
    return PluginDefinitionError(source=source, plugin=plugin_name, problem=problem, fix=fix)


def _stage(raw: Any, source: str, name: str) -> Stage:
    valid = ", ".join(f"Stage.{s.name}" for s in Stage)
    if isinstance(raw, Stage):
        return raw
    if raw is None:
        raise _fail(source, name, "no stage given", f"pass stage= one of {valid}")
    if isinstance(raw, str) and raw.strip().upper() in Stage.__members__:
        return Stage[raw.strip().upper()]
    close = difflib.get_close_matches(str(raw).upper(), list(Stage.__members__), n=1)
    hint = f" (did you mean Stage.{close[0]}?)" if close else ""
    raise _fail(source, name, f"unknown stage {raw!r}{hint}", f"use one of {valid}")


def _kinds(raw: Any, source: str, name: str) -> frozenset[EventKind]:
    if raw is None:
        return frozenset(EVENT_KINDS)
    items = [raw] if isinstance(raw, str) else list(raw)
    kinds: set[EventKind] = set()
    for item in items:
        if item in _KIND_ALIASES:
            kinds.update(_KIND_ALIASES[item])
        elif item in EVENT_KINDS:
            kinds.add(cast(EventKind, item))
        else:
            choices = [*EVENT_KINDS, *_KIND_ALIASES]
            close = difflib.get_close_matches(str(item), choices, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(source, name, f"unknown event kind {item!r} in applies_to{hint}", f"use {choices}")
    if not kinds:
        raise _fail(source, name, "applies_to is empty", "leave it out (all kinds) or name at least one kind")
    return frozenset(kinds)


def _number(raw: Any, *, option: str, source: str, name: str, default: float, maximum: float) -> float:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= maximum:
        raise _fail(source, name, f"{option}={raw!r} is not a number of seconds in (0, {maximum}]", f"pass e.g. {option}={default}")
    return float(raw)


_ALLOWED_PARAMS: dict[Stage, tuple[str, ...]] = {
    Stage.ENRICH: ("event", "context", "config"),
    Stage.TRANSFORM: ("event", "context", "config"),
    Stage.SIDE_EFFECT: ("event", "result", "context", "config"),
}


def _invoker(fn: Callable[..., Coroutine[Any, Any, Any]], params: tuple[str, ...]) -> Invoker:
    """A call with the parameters the plugin asked for, built once so the hot path has no lookups."""
    if params == ("event", "context"):
        return lambda event, context, config, result: fn(event, context)
    if params == ("event", "context", "config"):
        return lambda event, context, config, result: fn(event, context, config)
    if params == ("event", "result", "context"):
        return lambda event, context, config, result: fn(event, result, context)
    if params == ("event", "result", "context", "config"):
        return lambda event, context, config, result: fn(event, result, context, config)

    def call(event: Any, context: Any, config: Any, result: Any) -> Coroutine[Any, Any, Any]:
        values = {"event": event, "context": context, "config": config, "result": result}
        return fn(**{p: values[p] for p in params})

    return call


def _signature(fn: Callable[..., Any], stage: Stage, has_config: bool, source: str, name: str) -> tuple[str, ...]:
    allowed = _ALLOWED_PARAMS[stage]
    shape = f"async def {getattr(fn, '__name__', 'plugin')}({', '.join(p for p in allowed if p != 'config' or has_config)})"
    if not inspect.iscoroutinefunction(fn):
        raise _fail(source, name, "the function is not a coroutine function", f"declare it as `{shape}`")
    params: list[str] = []
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD, parameter.POSITIONAL_ONLY):
            raise _fail(source, name, f"parameter {parameter} is not a named parameter", f"use `{shape}`")
        if parameter.name not in allowed:
            close = difflib.get_close_matches(parameter.name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            extra = " (`result` is only given to SIDE_EFFECT plugins)" if parameter.name == "result" else ""
            raise _fail(
                source, name, f"unknown parameter {parameter.name!r}{hint}{extra}", f"accept a subset of {list(allowed)}"
            )
        params.append(parameter.name)
    if "config" in params and not has_config:
        raise _fail(source, name, "the function takes `config` but no config type is declared", "add config=YourStruct to @plugin(...) or drop the parameter")
    if has_config and "config" not in params:
        raise _fail(source, name, "a config type is declared but the function has no `config` parameter", f"use `{shape}`")
    return tuple(params)


def validate(declaration: Declaration, *, source: str) -> PluginSpec:
    """Turn a recorded declaration into a ``PluginSpec``; raises ``PluginDefinitionError``."""
    options = declaration.options
    fn = declaration.fn
    raw_name = options["name"] if options["name"] is not None else getattr(fn, "__name__", "")
    name = str(raw_name)
    for option in declaration.unknown:
        close = difflib.get_close_matches(option, OPTION_NAMES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _fail(source, name, f"unknown option {option!r}{hint}", f"use only {', '.join(OPTION_NAMES)}")
    if not isinstance(raw_name, str) or not _NAME.match(name):
        raise _fail(source, name, f"name {raw_name!r} is not a lower-case identifier", "use letters, digits and _ (e.g. 'redact_pci')")
    stage = _stage(options["stage"], source, name)
    order = options["order"]
    if isinstance(order, bool) or not isinstance(order, int):
        raise _fail(source, name, f"order={order!r} is not an integer", "pass e.g. order=50 (lower runs first)")
    on_error = options["on_error"]
    if on_error not in get_args(OnError):
        raise _fail(source, name, f"on_error={on_error!r} is not 'skip' or 'abort'", "pass on_error='skip' or on_error='abort'")
    if stage is Stage.SIDE_EFFECT and on_error == "abort":
        raise _fail(
            source, name, "on_error='abort' makes no sense after the CRM write",
            "drop on_error: SIDE_EFFECT failures are retried (tune max_attempts)",
        )
    config_type = options["config"]
    if config_type is not None and not (isinstance(config_type, type) and issubclass(config_type, msgspec.Struct)):
        raise _fail(source, name, f"config={config_type!r} is not a msgspec.Struct class", "declare `class MyConfig(msgspec.Struct): ...` and pass config=MyConfig")
    max_attempts = options["max_attempts"]
    if max_attempts is not None and stage is not Stage.SIDE_EFFECT:
        raise _fail(source, name, "max_attempts only applies to SIDE_EFFECT plugins", "drop max_attempts")
    if max_attempts is None:
        max_attempts = _DEFAULT_MAX_ATTEMPTS
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or not 1 <= max_attempts <= 100:
        raise _fail(source, name, f"max_attempts={max_attempts!r} is not an integer in 1..100", "pass e.g. max_attempts=5")
    default_timeout = _DEFAULT_SIDE_EFFECT_TIMEOUT if stage is Stage.SIDE_EFFECT else _DEFAULT_TIMEOUT
    timeout = _number(options["timeout"], option="timeout", source=source, name=name, default=default_timeout, maximum=_MAX_TIMEOUT)
    applies_to = _kinds(options["applies_to"], source, name)
    params = _signature(fn, stage, config_type is not None, source, name)
    description = options["description"]
    if description is None:
        description = (inspect.getdoc(fn) or "").split("\n", 1)[0]
    return PluginSpec(
        name=name,
        stage=stage,
        order=order,
        applies_to=applies_to,
        timeout=timeout,
        on_error=on_error,
        config_type=config_type,
        max_attempts=max_attempts,
        description=str(description),
        source=source,
        invoke=_invoker(fn, params),
    )
