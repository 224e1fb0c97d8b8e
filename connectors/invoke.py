"""Calling a connector interface: keyword arguments only, sync or async, results as builtins."""

from __future__ import annotations

import inspect
from typing import Any

import msgspec

__all__ = ["call_interface", "get_interface", "has_interface", "to_builtins"]


def get_interface(connector: object, name: str) -> Any | None:
    member = getattr(connector, name, None)
    return member if callable(member) else None


def has_interface(connector: object, name: str) -> bool:
    return get_interface(connector, name) is not None


_PLAIN = frozenset((str, int, float, bool, type(None)))


def to_builtins(value: Any) -> Any:
    if type(value) in _PLAIN:  # most leaves: skip the isinstance chain
        return value
    if isinstance(value, msgspec.Struct):
        return msgspec.to_builtins(value)
    if isinstance(value, dict):
        return {k: to_builtins(v) for k, v in value.items() if v is not msgspec.UNSET}
    if isinstance(value, list):
        return [to_builtins(v) for v in value]
    return value


async def call_interface(connector: object, name: str, /, **kwargs: Any) -> Any:
    """Call ``connector.<name>(**kwargs)``; raises AttributeError if it is not provided."""
    fn = get_interface(connector, name)
    if fn is None:
        raise AttributeError(f"connector does not implement {name}")
    result = fn(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    return to_builtins(result)
