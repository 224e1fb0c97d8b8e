"""Recognising call-log items in Markdown bodies (§4.3).

Fields are ``**Label**:`` lines, blocks are ``### Title`` sections that run to the next known
marker or header (never swallowing fields, deliberate difference 4), and the Agent notes run
from ``## Agent notes`` to ``## Call details``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from .document import Parsed, Span
from .items import ITEMS, Item
from .layout import Layout, item_group
from .plain import alternation, line_end
from .snippets import Snippet

__all__ = ["RISKY", "parse_markdown"]

_FIELD_KEYS: Final[dict[str, str]] = {item.markdown: item.key for item in ITEMS if item.kind == "field"}
_SECTION_KEYS: Final[dict[str, str]] = {
    item.markdown: item.key for item in ITEMS if item.kind in ("block", "journey")
}
_FIELD_ITEMS: Final[frozenset[str]] = frozenset(_FIELD_KEYS.values())
_FIELDS = alternation(_FIELD_KEYS)
_SECTIONS = alternation(_SECTION_KEYS)
_EOL = r"(?=\r?\n|\Z)"

# Fields and headers are scanned separately: each pattern then starts with a literal (``**``,
# ``##``) the regex engine can skip ahead to, which a character class cannot do; on a long
# transcript that is several times faster. No ``^`` either, for the same reason: line starts
# are checked in ``_markers``.
_FIELD_MARKER = re.compile(rf"\*\*({_FIELDS})\*\*:")
_HEADER_MARKER = re.compile(rf"##(?:# ({_SECTIONS})|( Agent notes)){_EOL}")
_CALL_DETAILS = re.compile(rf"\n## Call details{_EOL}")
# Lines that end a section; anchored on the line break rather than ``^`` (see above).
_SECTION_STOP = re.compile(rf"\n(?:\*\*(?:{_FIELDS})\*\*:|### (?:{_SECTIONS}){_EOL}|## Agent notes|## Call details)")

RISKY: Final[re.Pattern[str]] = re.compile(rf"\*\*(?:{_FIELDS})\*\*:|###|^## ", re.MULTILINE)

_NOTES: Final = "note"


def _markers(body: str) -> list[tuple[int, int, str, bool]]:
    """``(start, after, key, is_line_start)`` of every marker that counts where it stands."""
    found = []
    matches = [*_FIELD_MARKER.finditer(body), *_HEADER_MARKER.finditer(body)]
    matches.sort(key=_start)
    for match in matches:
        start = match.start()
        field = match.group(1)
        if match.re is _FIELD_MARKER:
            key = _FIELD_KEYS[field]
        else:
            key = _SECTION_KEYS[field] if field else _NOTES
        if start == 0 or body[start - 1] == "\n":
            found.append((start, match.end(), key, True))
        elif key != _NOTES:
            glue = body[start - 1]
            # ``#### AI Note`` is a user's heading, not a glued ``### AI Note``.
            if not glue.isspace() and glue != "#":
                found.append((start, match.end(), key, False))
    return found


def _start(match: re.Match[str]) -> int:
    return match.start()


def _section_end(body: str, header_end: int) -> int:
    """End of the section whose header ends at ``header_end``: the start of the next line that
    begins with a marker or a header, or the end of the body."""
    line_break = body.find("\n", header_end)
    stop = _SECTION_STOP.search(body, line_break) if line_break != -1 else None
    return stop.start() + 1 if stop is not None else len(body)


def parse_markdown(body: str) -> Parsed:
    """Every recognised item, in body order."""
    return _layout().parse(body) or _scan(body)


def _scan(body: str) -> Parsed:
    """The general recogniser, for any body."""
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
            end = _section_end(body, after)
        while index < count and markers[index][0] < end:
            index += 1
        spans.append(Span(key, start, end, -1, -1, degraded))
    return Parsed(body, spans)


# --- the composer's own layout (see layout.py) ---------------------------------------------------

# A field value: one line, no field marker, no "###" (a glued header would end the field), not
# ending in a "\r" (that belongs to the line break).
_VALUE = rf"[^\n*#]*+(?:(?:\*(?!\*(?:{_FIELDS})\*\*:)|#(?!##))[^\n*#]*+)*+(?<!\r)"
# Lines of a section or of the Agent notes: any line the section does not stop at.
_SECTION_LINES = rf"(?:(?!\*\*(?:{_FIELDS})\*\*:|### (?:{_SECTIONS}){_EOL}|## Agent notes|## Call details)[^\n]*+\n)*+"
_NOTE_LINES = rf"(?:(?!## Call details{_EOL})[^\n]*+\n)*+"


def _item_pattern(item: Item, snippet: Snippet, before: str, after: str) -> str:
    head, tail = re.escape(snippet.head), re.escape(snippet.tail)
    name = item_group(item)
    if item.kind == "field":
        return rf"{re.escape(before)}(?P<{name}>{head}{_VALUE}{tail}){re.escape(after)}"
    if item.kind == "note":
        # The notes run through the first "## Call details" line; the note text itself is
        # just lines (fields are not looked for inside it).
        closing = snippet.tail.lstrip("\n")
        return rf"{re.escape(before)}(?P<{name}>{head}{_NOTE_LINES}{re.escape(closing)}){re.escape(after)}"
    # A section takes every line up to the next marker or header line, its blank lines too.
    return rf"{re.escape(before)}(?P<{name}>{head}{_SECTION_LINES}){re.escape(after)}"


@cache
def _layout() -> Layout:
    return Layout("text/markdown", _item_pattern)
