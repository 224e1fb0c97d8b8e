"""Recognising call-log items in plain-text bodies (§4.2).

A marker is ``- Label:`` at a line start, or glued to a non-space character (a legacy append
that did not end the previous line). The Agent-notes section and blocks are opaque: nothing
inside them is a marker, so user and AI text is never rewritten (deliberate difference 7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Final

from .document import Parsed, Span
from .items import ITEMS, Item
from .layout import Layout, item_group
from .snippets import Snippet

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


def parse_plain(body: str) -> Parsed:
    """Every recognised item, in body order."""
    return _layout().parse(body) or _scan(body)


_NONE, _NOTE, _FIELD = 0, 1, 2  # what is pending in _scan


def _scan(body: str) -> Parsed:
    """The general recogniser, for any body.

    One pass over the markers. A field's end depends on whether the next marker that counts
    is glued to it, and the note's on the next line-start marker, so each waits ("pending")
    for the next marker that counts; a block's end is found at once and skips what is inside.
    """
    spans: list[Span] = []
    pending = _NONE
    # The pending item: its key, start, end of its marker, and (fields) its line end.
    p_key = ""
    p_start = p_after = p_line_end = 0
    skip_to = 0
    for match in _MARKER.finditer(body):
        start = match.start()
        if start < skip_to:
            continue  # inside a block
        key = _LABELS[match[1]]
        if start and body[start - 1] != "\n":
            # Not at a line start: only a glued marker counts, never the note, never inside it.
            if pending == _NOTE or key == "note" or body[start - 1].isspace():
                continue
        if pending == _FIELD:
            if start < p_line_end:  # glued to the pending field
                spans.append(Span(p_key, p_start, start, p_after + body.startswith(" ", p_after), start, False, True))
            else:
                spans.append(Span(p_key, p_start, p_line_end, p_after + body.startswith(" ", p_after), p_line_end))
        elif pending == _NOTE:
            # To the line break before this line-start marker, not counting trailing line breaks:
            # a blank line before the next item (a block's own, or a user's) stays outside, so
            # rewriting the note never removes it (idempotency, §4.8).
            end = start - 1
            while end > p_after and body[end - 1] in "\r\n":
                end -= 1
            spans.append(Span("note", p_start, end))
        after = match.end()
        if key == "note":
            pending, p_start, p_after = _NOTE, start, after
        elif key in _BLOCK_KEYS:
            skip_to = _block_end(body, after, is_journey=key == "journey")
            spans.append(Span(key, start, skip_to))
            pending = _NONE
        else:
            pending, p_key, p_start, p_after, p_line_end = _FIELD, key, start, after, line_end(body, after)
    if pending == _FIELD:
        spans.append(Span(p_key, p_start, p_line_end, p_after + body.startswith(" ", p_after), p_line_end))
    elif pending == _NOTE:
        spans.append(Span("note", p_start, max(len(body.rstrip("\r\n")), p_after)))
    return Parsed(body, spans)


# --- the composer's own layout (see layout.py) ---------------------------------------------------

# Only what the recogniser looks at constrains a value; everything else is scanned with
# single-character exclusions, which the regex engine runs several times faster than a class.
# A field value: one line holding no marker (a "-" only where none starts), not ending in a
# "\r" (that belongs to the line break).
_VALUE = rf"[^\n-]*+(?:-(?! (?:{_ALL}):)[^\n-]*+)*+(?<!\r)"
# Note lines: inside the notes only a marker at a line start counts (it ends them).
_NOTE_LINE = rf"(?!- (?:{_ALL}):)[^\n]"
# Block lines: inside a block only a terminator or another block's marker at a line start
# counts; a line starting "--- " could be either terminator.
_BLOCK_LINE = rf"(?!--- |- (?:{_BLOCKS}):)[^\n]*+"


def _item_pattern(item: Item, snippet: Snippet, before: str, after: str) -> str:
    head, tail = re.escape(snippet.head), re.escape(snippet.tail)
    name = item_group(item)
    if item.kind == "field":
        return rf"{re.escape(before)}(?P<{name}>{head}{_VALUE}{tail}){re.escape(after)}"
    if item.kind == "note":
        assert (before, after) == ("", "\n") and not tail
        # Text ending in a non-empty line, not in a "\r": the general recogniser's note span
        # stops before trailing line breaks, and this one must agree with it.
        text = rf"[^\n]*+(?:\n++{_NOTE_LINE}[^\n]*+)*+(?<!\r)"
        return rf"(?P<{name}>{head}{text})\n"
    text = rf"{_BLOCK_LINE}(?:\n{_BLOCK_LINE})*+"
    return rf"{re.escape(before)}(?P<{name}>{head}{text}{tail}){re.escape(after)}"


@cache
def _layout() -> Layout:
    return Layout("text/plain", _item_pattern)
