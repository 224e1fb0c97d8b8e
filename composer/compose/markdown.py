"""Recognising call-log items in Markdown bodies (§4.3).

Fields are ``**Label**:`` lines, blocks are ``### Title`` sections that run to the next known
marker or header (never swallowing fields, deliberate difference 4), and the Agent notes run
from ``## Agent notes`` to ``## Call details``.
"""

from __future__ import annotations

import re
from typing import Final

from .document import Parsed, Span
from .items import ITEMS
from .plain import alternation, line_end

__all__ = ["RISKY", "parse_markdown"]

_FIELD_KEYS: Final[dict[str, str]] = {item.markdown: item.key for item in ITEMS if item.kind == "field"}
_SECTION_KEYS: Final[dict[str, str]] = {
    item.markdown: item.key for item in ITEMS if item.kind in ("block", "journey")
}
_FIELD_ITEMS: Final[frozenset[str]] = frozenset(_FIELD_KEYS.values())
_FIELDS = alternation(_FIELD_KEYS)
_SECTIONS = alternation(_SECTION_KEYS)
_EOL = r"(?=\r?\n|\Z)"

# No ``^`` here: an anchor would keep the regex engine from skipping ahead to ``*`` and ``#``;
# line starts are checked in ``_markers``.
_MARKER = re.compile(rf"\*\*({_FIELDS})\*\*:|### ({_SECTIONS}){_EOL}|## Agent notes{_EOL}")
_CALL_DETAILS = re.compile(rf"^## Call details{_EOL}", re.MULTILINE)
_SECTION_STOP = re.compile(
    rf"^(?:\*\*(?:{_FIELDS})\*\*:|### (?:{_SECTIONS}){_EOL}|## Agent notes|## Call details)", re.MULTILINE
)

RISKY: Final[re.Pattern[str]] = re.compile(rf"\*\*(?:{_FIELDS})\*\*:|###|^## ", re.MULTILINE)

_NOTES: Final = "note"


def _markers(body: str) -> list[tuple[int, int, str, bool]]:
    """``(start, after, key, is_line_start)`` of every marker that counts where it stands."""
    found = []
    for match in _MARKER.finditer(body):
        start = match.start()
        field, section = match.group(1, 2)
        key = _FIELD_KEYS[field] if field else _SECTION_KEYS[section] if section else _NOTES
        if start == 0 or body[start - 1] == "\n":
            found.append((start, match.end(), key, True))
        elif key != _NOTES:
            glue = body[start - 1]
            # ``#### AI Note`` is a user's heading, not a glued ``### AI Note``.
            if not glue.isspace() and glue != "#":
                found.append((start, match.end(), key, False))
    return found


def parse_markdown(body: str) -> Parsed:
    """Every recognised item, in body order."""
    markers = _markers(body)
    count = len(markers)
    spans: list[Span] = []
    index = 0
    while index < count:
        start, after, key, _ = markers[index]
        index += 1
        if key in _FIELD_ITEMS:
            end = line_end(body, after)
            is_glued = index < count and markers[index][0] < end
            if is_glued:
                end = markers[index][0]
            value_start = after + 1 if body.startswith(" ", after) else after
            spans.append(Span(key, start, end, value_start, end, False, is_glued))
            continue
        degraded = False
        if key == _NOTES:
            details = _CALL_DETAILS.search(body, after)
            if details is not None:
                end = details.end()
            else:
                # Degraded: to the next line that starts with a field marker or a header.
                degraded = True
                while index < count and not markers[index][3]:
                    index += 1
                end = markers[index][0] if index < count else len(body)
        else:
            next_line = body.find("\n", after)
            stop = _SECTION_STOP.search(body, next_line + 1) if next_line != -1 else None
            end = stop.start() if stop is not None else len(body)
        while index < count and markers[index][0] < end:
            index += 1
        spans.append(Span(key, start, end, -1, -1, degraded))
    return Parsed(spans)
