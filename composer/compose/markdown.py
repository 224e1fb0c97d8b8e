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
_FIELDS = alternation(_FIELD_KEYS)
_SECTIONS = alternation(_SECTION_KEYS)
_EOL = r"(?=\r?\n|\Z)"

_MARKER = re.compile(rf"\*\*({_FIELDS})\*\*:|### ({_SECTIONS}){_EOL}|^## Agent notes{_EOL}", re.MULTILINE)
_CALL_DETAILS = re.compile(rf"^## Call details{_EOL}", re.MULTILINE)
_LINE_MARKER = re.compile(rf"^(?:\*\*(?:{_FIELDS})\*\*:|### (?:{_SECTIONS}){_EOL})", re.MULTILINE)
_SECTION_STOP = re.compile(
    rf"^(?:\*\*(?:{_FIELDS})\*\*:|### (?:{_SECTIONS}){_EOL}|## Agent notes|## Call details)", re.MULTILINE
)

RISKY: Final[re.Pattern[str]] = re.compile(rf"\*\*(?:{_FIELDS})\*\*:|###|^## ", re.MULTILINE)


def _is_glue(character: str) -> bool:
    # ``#### AI Note`` is a user's heading, not a glued ``### AI Note``.
    return not character.isspace() and character != "#"


def _after_line(body: str, position: int) -> int:
    """Start of the line after the one holding ``position`` (or the end of the body)."""
    end = body.find("\n", position)
    return len(body) if end == -1 else end + 1


def parse_markdown(body: str) -> Parsed:
    """Every recognised item, in body order."""
    spans: list[Span] = []
    search = _MARKER.search
    match = search(body)
    while match is not None:
        start = match.start()
        if start and body[start - 1] != "\n" and not _is_glue(body[start - 1]):
            match = search(body, start + 1)
            continue
        field_label, section_label = match.group(1), match.group(2)
        after = match.end()
        if field_label is not None:
            end_of_line = line_end(body, after)
            following = search(body, after)
            while following is not None and following.start() < end_of_line:
                if _is_glue(body[following.start() - 1]):
                    break
                following = search(body, following.start() + 1)
            is_glued = following is not None and following.start() < end_of_line
            end = following.start() if is_glued and following is not None else end_of_line
            value_start = after + 1 if body.startswith(" ", after) else after
            spans.append(
                Span(_FIELD_KEYS[field_label], start, end, value_start=value_start, value_end=end, glued_next=is_glued)
            )
            match = following
            continue
        if section_label is not None:
            stop = _SECTION_STOP.search(body, _after_line(body, after))
            end = stop.start() if stop is not None else len(body)
            spans.append(Span(_SECTION_KEYS[section_label], start, end))
        else:
            details = _CALL_DETAILS.search(body, after)
            if details is not None:
                end = details.end()
                spans.append(Span("note", start, end))
            else:
                stop = _LINE_MARKER.search(body, after)
                end = stop.start() if stop is not None else len(body)
                spans.append(Span("note", start, end, degraded=True))
        match = search(body, end)
    return Parsed(spans)
