"""Who a local-CRM user is: derived from the API key, nothing stored beyond the users row.

The convenience login accepts any non-empty key and maps it to a stable user id, so the
same key always reaches the same contacts and activities. The id is a truncated SHA-256
of the key: it does not reveal a long random key, but a short guessable key can be found
from the id, which is acceptable only because this login is a development convenience.
"""

from __future__ import annotations

import hashlib
from typing import Any

from connectors.local._manifest import PLATFORM

__all__ = ["display_name", "local_user_id", "value_of"]

_SUFFIX = f"-{PLATFORM}"


def local_user_id(api_key: str) -> str:
    """``"<sha256(key) hex[:16]>-local"``; the key is used exactly as given (stripped)."""
    return hashlib.sha256(api_key.strip().encode()).hexdigest()[:16] + _SUFFIX


def display_name(user_id: str) -> str:
    """The display name of a local user (``"Local user 1a2b"``)."""
    if user_id.endswith(_SUFFIX):
        return f"Local user {user_id[:4]}"
    return user_id


def value_of(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` for mappings, ``obj.key`` otherwise: core hands rows as dicts or views."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)
