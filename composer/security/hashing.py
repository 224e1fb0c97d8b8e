"""The H() helper of the spec: sha256_hex(f"{x}:{HASH_KEY}"), missing values hash "undefined"."""

from __future__ import annotations

import hashlib

__all__ = ["Hasher"]


def _js_text(value: object) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Hasher:
    __slots__ = ("_key",)

    def __init__(self, key: str) -> None:
        self._key = key

    def __call__(self, value: object) -> str:
        return hashlib.sha256(f"{_js_text(value)}:{self._key}".encode()).hexdigest()
