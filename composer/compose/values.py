"""Value rules shared by every format and every kind of log.

The reference server is JavaScript, so "present", "on" and "how a number prints" follow
JavaScript semantics here: bodies must be byte-identical to the reference's for the same input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

__all__ = [
    "MAPPINGS",
    "escape_html",
    "html_lines",
    "is_present",
    "is_truthy",
    "js_number",
    "multi_line",
    "setting_enabled",
    "setting_value",
    "single_line",
    "to_text",
]

MAPPINGS: Final = (dict, Mapping)
"""For ``isinstance``: the concrete ``dict`` first, so the common case skips the ABC check."""


def js_number(number: float) -> str:
    """Print a number the way JavaScript's ``String(n)`` does (``92``, ``30.5``, ``1e-7``)."""
    if isinstance(number, int):
        return str(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    text = repr(number)
    if "e" not in text:
        return text.removesuffix(".0")
    mantissa, _, exponent_text = text.partition("e")
    exponent = int(exponent_text)
    if -7 < exponent < 21:
        # Python switches to exponent notation far earlier than JavaScript does.
        return format(Decimal(text), "f")
    return f"{mantissa}e{'+' if exponent > 0 else '-'}{abs(exponent)}"


def to_text(value: object) -> str:
    """Render any decoded JSON value as the reference's string interpolation would."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, list | tuple):
        return ",".join(to_text(item) for item in value)
    if isinstance(value, MAPPINGS):
        return "[object Object]"
    return str(value)


def is_present(value: object) -> bool:
    """Absent, ``null`` and ``""`` never write (and never remove) anything."""
    return value is not None and value != ""


def is_truthy(value: object) -> bool:
    """JavaScript truthiness: settings are switched off by ``false``, ``0`` and ``""`` only."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    return True


def setting_value(settings: Mapping[str, Any] | None, key: str) -> object:
    """``userSettings[key].value``, or ``None`` when any level is missing."""
    if not settings:
        return None
    entry = settings.get(key)
    if isinstance(entry, MAPPINGS):
        return entry.get("value")
    return None


def setting_enabled(settings: Mapping[str, Any] | None, key: str, default: bool) -> bool:
    """Only ``null``/absent take the default; anything else is read by truthiness."""
    value = setting_value(settings, key)
    if value is None:
        return default
    return is_truthy(value)


def _unix_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def single_line(text: str) -> str:
    """Field values live on one line, or the next update could not find them again."""
    if "\n" in text or "\r" in text:
        return _unix_breaks(text).replace("\n", " ")
    return text


def multi_line(text: str) -> str:
    """Trailing line breaks would add a blank line (or ``<br>``) on every update."""
    return text.rstrip("\r\n")


def escape_html(text: str) -> str:
    """Escape the five characters the reference's HTML connectors escape (``'`` → ``&#039;``)."""
    # Five substring scans run at C speed; a character-class regex is far slower on long text.
    if "&" not in text and "<" not in text and ">" not in text and '"' not in text and "'" not in text:
        return text
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#039;")
    )


def html_lines(text: str) -> str:
    """Escaped text with its line breaks made visible, for multi-line HTML values."""
    escaped = escape_html(text)
    if "\n" in escaped or "\r" in escaped:
        # str.replace, not re.sub: transcripts have hundreds of lines.
        return _unix_breaks(escaped).replace("\n", "<br>")
    return escaped
