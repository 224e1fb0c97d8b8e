"""Small conversions shared by the store modules."""

from __future__ import annotations

import time
from typing import Any

import msgspec

__all__ = ["SQL_OPAQUE", "dump_json", "load_json", "now_ms"]

# SQL text in which `?` and `;` mean nothing: string literals, quoted identifiers, comments.
# Matched whole (an alternative before the character a caller looks for), they are skipped.
SQL_OPAQUE = r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/"""

_encoder = msgspec.json.Encoder()


def now_ms() -> int:
    return int(time.time() * 1000)


def dump_json(value: Any) -> str:
    return _encoder.encode(value).decode()


def load_json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return default
