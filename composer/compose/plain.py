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
# Anchored on the line break rather than ``^``, so the regex engine can skip ahead to it.
_BLOCK_STOP = re.compile(rf"\n(?:(--- END)|- (?:{_BLOCKS}):)")
_JOURNEY_STOP = re.compile(rf"\n(?:(--- JOURNEY END)|- (?:{_BLOCKS}):)")

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


def _block_end(body: str, after: int, *, is_journey: bool) -> int:
    marker_line_end = body.find("\n", after)
    if marker_line_end != -1:
        stop = (_JOURNEY_STOP if is_journey else _BLOCK_STOP).search(body, marker_line_end)
        if stop is not None and stop.group(1):
            return line_end(body, stop.start() + 1)
    # No terminator before the next block: the legacy one-line form.
    return line_end(body, after)


def _markers(body: str) -> list[tuple[int, int, str, bool]]:
    """``(start, after, key, is_line_start)`` of every marker that counts where it stands."""
    found = []
    for match in _MARKER.finditer(body):
        start = match.start()
        key = _LABELS[match.group(1)]
        if start == 0 or body[start - 1] == "\n":
            found.append((start, match.end(), key, True))
        elif key != "note" and not body[start - 1].isspace():
            found.append((start, match.end(), key, False))
    return found


def parse_plain(body: str) -> Parsed:
    """Every recognised item, in body order."""
    markers = _markers(body)
    count = len(markers)
    spans: list[Span] = []
    index = 0
    while index < count:
        start, after, key, _ = markers[index]
        index += 1
        if key == "note":
            # To the line break before the next line that starts with a marker.
            while index < count and not markers[index][3]:
                index += 1
            if index < count:
                end = markers[index][0] - 1
                if end > after and body[end - 1] == "\r":
                    end -= 1
            else:
                end = max(len(body.rstrip("\r\n")), after)
            spans.append(Span(key, start, end))
        elif key in _BLOCK_KEYS:
            end = _block_end(body, after, is_journey=key == "journey")
            while index < count and markers[index][0] < end:
                index += 1
            spans.append(Span(key, start, end))
        else:
            end = line_end(body, after)
            # A later marker on the same line is necessarily a glued one.
            is_glued = index < count and markers[index][0] < end
            if is_glued:
                end = markers[index][0]
            value_start = after + 1 if body.startswith(" ", after) else after
            spans.append(Span(key, start, end, value_start, end, False, is_glued))
    return Parsed(spans)
