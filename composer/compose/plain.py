"""Recognising call-log items in plain-text bodies (§4.2).

A marker is ``- Label:`` at a line start, or glued to a non-space character (a legacy append
that did not end the previous line). The Agent-notes section and blocks are opaque: nothing
inside them is a marker, so user and AI text is never rewritten (deliberate difference 7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from .document import Parsed, Span
from .items import ITEMS

__all__ = ["RISKY", "alternation", "line_end", "parse_plain"]

_LABELS: Final[dict[str, str]] = {item.plain: item.key for item in ITEMS} | {"Agent notes": "note"}
_BLOCK_KEYS: Final[frozenset[str]] = frozenset(item.key for item in ITEMS if item.kind in ("block", "journey"))


def alternation(labels: Iterable[str]) -> str:
    """A regex alternative of literal labels, longest first."""
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


_ALL = alternation(_LABELS)
_BLOCKS = alternation([item.plain for item in ITEMS if item.key in _BLOCK_KEYS])

_MARKER = re.compile(rf"- ({_ALL}):")
_LINE_MARKER = re.compile(rf"^- (?:{_ALL}):", re.MULTILINE)
_BLOCK_STOP = re.compile(rf"^(?:(--- END)|- (?:{_BLOCKS}):)", re.MULTILINE)
_JOURNEY_STOP = re.compile(rf"^(?:(--- JOURNEY END)|- (?:{_BLOCKS}):)", re.MULTILINE)

# Text that could be read back as a marker or a block terminator once written; such an edit
# makes the next upsert re-read the body (see document.py).
RISKY: Final[re.Pattern[str]] = re.compile(rf"^--- |- (?:{_ALL}):", re.MULTILINE)


def line_end(body: str, position: int) -> int:
    """End of the line holding ``position``; a ``\\r`` before ``\\n`` belongs to the line break."""
    end = body.find("\n", position)
    if end == -1:
        return len(body)
    if end > position and body[end - 1] == "\r":
        return end - 1
    return end


def _note_end(body: str, after: int) -> int:
    following = _LINE_MARKER.search(body, after)
    if following is None:
        return max(len(body.rstrip("\r\n")), after)
    end = following.start() - 1
    if end > after and body[end - 1] == "\r":
        end -= 1
    return end


def _block_end(body: str, after: int, *, is_journey: bool) -> int:
    marker_line_end = body.find("\n", after)
    if marker_line_end != -1:
        stop = (_JOURNEY_STOP if is_journey else _BLOCK_STOP).search(body, marker_line_end + 1)
        if stop is not None and stop.group(1):
            return line_end(body, stop.start())
    # No terminator before the next block: the legacy one-line form.
    return line_end(body, after)


def parse_plain(body: str) -> Parsed:
    """Every recognised item, in body order."""
    spans: list[Span] = []
    search = _MARKER.search
    match = search(body)
    while match is not None:
        start = match.start()
        key = _LABELS[match.group(1)]
        if start and body[start - 1] != "\n" and (key == "note" or body[start - 1].isspace()):
            match = search(body, start + 1)
            continue
        after = match.end()
        if key == "note":
            end = _note_end(body, after)
        elif key in _BLOCK_KEYS:
            end = _block_end(body, after, is_journey=key == "journey")
        else:
            end_of_line = line_end(body, after)
            following = search(body, after)
            while following is not None and following.start() < end_of_line:
                glue = body[following.start() - 1]
                if not glue.isspace() and _LABELS[following.group(1)] != "note":
                    break
                following = search(body, following.start() + 1)
            is_glued = following is not None and following.start() < end_of_line
            end = following.start() if is_glued and following is not None else end_of_line
            value_start = after + 1 if body.startswith(" ", after) else after
            spans.append(Span(key, start, end, value_start=value_start, value_end=end, glued_next=is_glued))
            match = following
            continue
        spans.append(Span(key, start, end))
        match = search(body, end)
    return Parsed(spans)
