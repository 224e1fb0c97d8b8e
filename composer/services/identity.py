"""Extension identity of a call log (http-api.md §10.2).

One RingCentral call produces at most one CRM activity per extension identity per platform.
The identity is ``(extensionNumber, hashedExtensionId)``: the browser client sends the hash
it got from ``/userInfoHash``; server-side logging (SSCL) sends the raw ``rcExtensionId``,
which is hashed here with the same ``H()`` so that an SSCL log and a client log from one
extension collide, as the client expects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

__all__ = ["CallIdentity", "call_identity", "js_text", "pick"]


class CallIdentity(msgspec.Struct, frozen=True, kw_only=True):
    extension_number: str = ""
    hashed_extension_id: str = ""


def js_text(value: Any) -> str:
    """A value as JavaScript's ``String(v)`` prints it; None is ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_truthy(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != 0


def pick(top: Any, nested: Mapping[str, Any] | None, key: str) -> Any:
    """The top-level value unless it is null/absent, else the nested (``logInfo``) one."""
    if top is not None:
        return top
    return nested.get(key) if nested else None


def call_identity(
    *,
    extension_number: Any,
    hashed_extension_id: Any,
    rc_extension_id: Any = None,
    nested: Mapping[str, Any] | None = None,
    hasher: Callable[[object], str],
) -> CallIdentity:
    """The identity of §10.2 from the top-level fields, falling back to ``nested`` (``logInfo``)."""
    number = js_text(pick(extension_number, nested, "extensionNumber"))
    hashed = pick(hashed_extension_id, nested, "hashedExtensionId")
    if _is_truthy(hashed):
        return CallIdentity(extension_number=number, hashed_extension_id=js_text(hashed))
    raw = pick(rc_extension_id, nested, "rcExtensionId")
    if _is_truthy(raw):
        return CallIdentity(extension_number=number, hashed_extension_id=hasher(js_text(raw)))
    return CallIdentity(extension_number=number, hashed_extension_id="")
