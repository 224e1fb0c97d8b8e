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


def _text(value: object) -> str:
    return "" if value is None or value == "" else single_line(to_text(value))


def party_text(party: object) -> str:
    """``NAME, PHONE, ext EXT`` with whatever parts are known; empty when nothing is."""
    if type(party) is not dict and not isinstance(party, MAPPINGS):
        return ""
    name = party.get("name")
    phone = party.get("phoneNumber")
    extension = party.get("extensionNumber")
    # Most parts are one-line strings or absent; only the others take the general path.
    if type(name) is not str or "\n" in name or "\r" in name:
        name = _text(name)
    if type(phone) is not str or "\n" in phone or "\r" in phone:
        phone = _text(phone)
    if type(extension) is not str or "\n" in extension or "\r" in extension:
        extension = _text(extension)
    if phone:
        reach = f"{phone}, ext {extension}" if extension else phone
    else:
        reach = f"ext {extension}" if extension else ""
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
    for raw_leg in legs:
        leg: Mapping[str, Any] = raw_leg if type(raw_leg) is dict or isinstance(raw_leg, MAPPINGS) else {}
        is_outbound = leg.get("direction") == "Outbound"
        if not lines:
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
