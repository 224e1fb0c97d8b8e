"""Call-journey lines (§3.5): who received the call and where it was transferred.

Legs come straight from the telephony client and may miss any field; this never raises
(deliberate difference 18).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from .durations import parse_seconds
from .values import MAPPINGS, is_present, js_number, single_line, to_text

__all__ = ["journey_lines", "party_text"]

_EXACT: Final = 2**53


def _field(party: Mapping[str, Any], key: str) -> str:
    value = party.get(key)
    if value is None or value == "":
        return ""
    return single_line(value if type(value) is str else to_text(value))


def party_text(party: object) -> str:
    """``NAME, PHONE, ext EXT`` with whatever parts are known; empty when nothing is."""
    if not isinstance(party, MAPPINGS):
        return ""
    name = _field(party, "name")
    phone = _field(party, "phoneNumber")
    extension = _field(party, "extensionNumber")
    if phone and extension:
        reach = f"{phone}, ext {extension}"
    elif phone:
        reach = phone
    elif extension:
        reach = f"ext {extension}"
    else:
        reach = ""
    if name:
        return f"{name}, {reach}" if reach else name
    return reach


def _duration_suffix(value: object) -> str:
    if type(value) is int and -_EXACT < value < _EXACT:
        # The usual shape: whole seconds that print as ``str`` prints them (beyond 2**53
        # JavaScript, like the general path, rounds through a float).
        return ", duration: 1 second" if value == 1 else f", duration: {value} seconds"
    if not is_present(value):
        return ""
    seconds = parse_seconds(value)
    if seconds is None:
        return ""
    unit = "second" if seconds == 1 else "seconds"
    return f", duration: {js_number(seconds)} {unit}"


def journey_lines(legs: Sequence[object]) -> list[str]:
    """One line per leg; the first says who took the call, the others where it went next."""
    lines: list[str] = []
    for index, raw_leg in enumerate(legs):
        leg: Mapping[str, Any] = raw_leg if isinstance(raw_leg, MAPPINGS) else {}
        is_outbound = leg.get("direction") == "Outbound"
        if index == 0:
            if is_outbound:
                lines.append(f"Made call from {party_text(leg.get('from'))}")
            else:
                lines.append(f"Received call at {party_text(leg.get('to'))}")
            continue
        if is_outbound and leg.get("legType") != "PstnToSip":
            party = leg.get("from")
        else:
            party = leg.get("to")
        lines.append(f"Transferred to {party_text(party)}{_duration_suffix(leg.get('duration'))}")
    return lines
