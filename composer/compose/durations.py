"""Duration wording (§5.4): ``1 hour, 1 minute, 1 second``.

Arithmetic follows JavaScript (``Math.floor`` and a remainder with the sign of the dividend) so
negative and fractional durations read exactly as the reference writes them.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .values import js_number, to_text

__all__ = ["describe_duration", "parse_seconds"]

_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def parse_seconds(value: object) -> float | None:
    """Seconds as a number; blank strings and ``null`` are 0; ``None`` for anything non-numeric."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        if not value.strip():
            return 0.0
        if _NUMBER.fullmatch(value):
            return float(value)
    return None


def _part(number: float, unit: str) -> str:
    return f"{js_number(number)} {unit}" if number == 1 else f"{js_number(number)} {unit}s"


def describe_duration(value: object) -> str:
    """``0 seconds`` when nothing positive is left; non-numeric text is written as given."""
    if type(value) is int and value >= 0:
        return _describe_int(value)
    parsed = parse_seconds(value)
    if parsed is None:
        return to_text(value)
    hours = math.floor(parsed / 3600)
    minutes = math.floor(math.fmod(parsed, 3600) / 60)
    seconds = math.fmod(parsed, 60)
    parts = [_part(number, unit) for number, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second")) if number > 0]
    return ", ".join(parts) if parts else "0 seconds"


@lru_cache(maxsize=4096)
def _describe_int(value: int) -> str:
    """The common case, whole non-negative seconds: integer division agrees with the float path
    and every number prints as ``str`` does, so no float or JavaScript formatting is needed.
    Calls last seconds to minutes, so the same few thousand values recur across calls."""
    hours, rest = divmod(value, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append("1 hour" if hours == 1 else f"{hours} hours")
    if minutes:
        parts.append("1 minute" if minutes == 1 else f"{minutes} minutes")
    if seconds:
        parts.append("1 second" if seconds == 1 else f"{seconds} seconds")
    return ", ".join(parts) if parts else "0 seconds"
