"""Request bodies: JSON or form-urlencoded, decoded into msgspec Structs with clear errors."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl

import msgspec
from litestar import Request

from composer.services.errors import BadRequest

__all__ = ["read_body", "read_struct"]

T = TypeVar("T")


def _content_type(request: Request[Any, Any, Any]) -> str:
    # Straight from the raw ASGI headers: building the request's header mapping for this one
    # value costs more than the scan.
    for name, value in request.scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1")
    return ""


async def read_body(request: Request[Any, Any, Any], *, error: str) -> Any:
    """The decoded body (JSON or form); ``BadRequest(error: <why>)`` when unreadable."""
    raw = await request.body()
    content_type = _content_type(request)
    if "application/x-www-form-urlencoded" in content_type:
        try:
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            raise BadRequest(f"{error}: the form body is not UTF-8") from None
    if not raw.strip():
        return None
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise BadRequest(f"{error}: malformed JSON ({exc})") from None


async def read_struct(request: Request[Any, Any, Any], model: type[T], *, error: str) -> T:
    data = await read_body(request, error=error)
    if not isinstance(data, dict):
        raise BadRequest(f"{error}: the body must be a JSON object")
    try:
        return msgspec.convert(data, model, strict=False)
    except msgspec.ValidationError as exc:
        raise BadRequest(f"{error}: {exc}") from None
