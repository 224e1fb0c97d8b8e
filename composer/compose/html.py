"""Recognising call-log items in HTML bodies (§4.4).

Rich-text editors re-save what they display: tags change case, gain attributes or line
breaks, ``<li>`` wrappers go missing. Recognition tolerates all of that (deliberate
difference 9) and never looks inside the Agent notes or a block.
"""

from __future__ import annotations

import re
from typing import Final

from .document import Parsed, Span
from .items import CONTACT_LABELS_HTML, ITEMS
from .plain import alternation

__all__ = ["parse_html"]

_FIELD_KEYS: Final[dict[str, str]] = {
    item.html.lower(): item.key for item in ITEMS if item.kind == "field" and item.key != "contact"
} | {label.lower(): "contact" for label in CONTACT_LABELS_HTML}
_BLOCK_KEYS: Final[dict[str, str]] = {item.html.lower(): item.key for item in ITEMS if item.kind in ("block", "journey")}
_LINK_KEYS: Final[frozenset[str]] = frozenset({"recording", "voicemail", "ace_link"})

_FIELD = rf"(?P<li><li\b[^>]*>\s*)?<b\s*>\s*(?P<label>{alternation(_FIELD_KEYS)})\s*</b\s*>\s*:"
_BLOCK = rf"<div\b[^>]*>\s*<b\s*>\s*(?P<title>{alternation(_BLOCK_KEYS)})\s*</b\s*>\s*<br\s*/?>"
_NOTES = r"(?P<notes><b\s*>\s*Agent notes\s*</b\s*>)"

_MARKER = re.compile(f"{_NOTES}|{_FIELD}|{_BLOCK}", re.IGNORECASE)
_ITEM = re.compile(f"{_FIELD}|{_BLOCK}", re.IGNORECASE)
_CALL_DETAILS = re.compile(r"<b\s*>\s*Call details\s*</b\s*>", re.IGNORECASE)
_DIV_END = re.compile(r"</div\s*>", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b[^>]*>[\s\S]*?</a\s*>(?:\s*</li\s*>)?", re.IGNORECASE)
_WRAPPED_VALUE = re.compile(r"[^<]*</li\s*>", re.IGNORECASE)
_BARE_VALUE = re.compile(r"[^<\r\n]*(?:</li\s*>)?", re.IGNORECASE)
_UL_TAG = re.compile(r"<(/?)ul\b[^>]*>", re.IGNORECASE)
_LI_CLOSE = re.compile(r"\s*</li\s*>$", re.IGNORECASE)


def _field_span(body: str, match: re.Match[str], key: str) -> Span:
    value_start = match.end()
    while body.startswith((" ", "\t"), value_start):
        value_start += 1
    value = None
    if key in _LINK_KEYS:
        value = _ANCHOR.match(body, value_start)
    if value is None and match.group("li"):
        # Inside an <li>, the value may have been wrapped onto several lines.
        value = _WRAPPED_VALUE.match(body, value_start)
    if value is None:
        value = _BARE_VALUE.match(body, value_start)
    assert value is not None
    end = value.end()
    closer = _LI_CLOSE.search(body, value_start, end)
    value_end = closer.start() if closer is not None else end
    return Span(key, match.start(), end, value_start=value_start, value_end=value_end)


def _field_list_end(body: str, field: Span) -> int:
    """Where new ``<li>`` fields go: before the ``</ul>`` of the list holding the first field."""
    open_lists: list[int] = []
    for tag in _UL_TAG.finditer(body, 0, field.start):
        if tag.group(1):
            if open_lists:
                open_lists.pop()
        else:
            open_lists.append(tag.start())
    if not open_lists:
        return -1
    depth = 1
    for tag in _UL_TAG.finditer(body, field.end):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start()
    return -1


def parse_html(body: str) -> Parsed:
    """Every recognised item, in body order, and the field list if the body has one."""
    spans: list[Span] = []
    first_field: Span | None = None
    search = _MARKER.search
    match = search(body)
    while match is not None:
        if match.group("notes"):
            details = _CALL_DETAILS.search(body, match.end())
            if details is not None:
                span = Span("note", match.start(), details.end())
            else:
                following = _ITEM.search(body, match.end())
                end = following.start() if following is not None else len(body)
                span = Span("note", match.start(), end, degraded=True)
        elif match.group("label"):
            span = _field_span(body, match, _FIELD_KEYS[match.group("label").lower()])
            if first_field is None:
                first_field = span
        else:
            closing = _DIV_END.search(body, match.end())
            end = closing.end() if closing is not None else match.end()
            span = Span(_BLOCK_KEYS[match.group("title").lower()], match.start(), end)
        spans.append(span)
        match = search(body, max(span.end, match.end()))
    list_end = _field_list_end(body, first_field) if first_field is not None else -1
    return Parsed(spans, list_end)
