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

# A field is one match: optional <li>, <b>Label</b>:, spaces, then the value: a whole <a>
# element, or (inside an <li> that closes) text up to </li> even across line breaks, or text
# up to the next tag or line break; then the optional </li>.
_FIELD = (
    rf"(?P<li><li\b[^>]*>\s*)?<b\s*>\s*(?P<label>{alternation(_FIELD_KEYS)})\s*</b\s*>\s*:[ \t]*"
    r"(?P<value><a\b[^>]*>[\s\S]*?</a\s*>|(?(li)[^<]*(?=</li\s*>)|(?!))|[^<\r\n]*)"
    r"(?P<close>\s*</li\s*>)?"
)
_BLOCK = rf"<div\b[^>]*>\s*<b\s*>\s*(?P<title>{alternation(_BLOCK_KEYS)})\s*</b\s*>\s*<br\s*/?>"
_NOTES = r"(?P<notes><b\s*>\s*Agent notes\s*</b\s*>)"

_MARKER = re.compile(f"{_NOTES}|{_FIELD}|{_BLOCK}", re.IGNORECASE)
_CALL_DETAILS = re.compile(r"<b\s*>\s*Call details\s*</b\s*>", re.IGNORECASE)
_DIV_END = re.compile(r"</div\s*>", re.IGNORECASE)
_UL_TAG = re.compile(r"<(/?)ul\b[^>]*>", re.IGNORECASE)


def _field_list_end(body: str, field: Span) -> int:
    """Where new ``<li>`` fields go: before the ``</ul>`` of the list holding the first field."""
    if "<ul" not in body and "<UL" not in body and "<Ul" not in body and "<uL" not in body:
        return -1
    open_lists = 0
    for tag in _UL_TAG.finditer(body, 0, field.start):
        if tag.group(1):
            open_lists = max(open_lists - 1, 0)
        else:
            open_lists += 1
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
    skip_to = 0
    for match in _MARKER.finditer(body):
        start = match.start()
        if start < skip_to:
            continue  # inside the Agent notes or a block
        label = match.group("label")
        if label is not None:
            span = Span(_FIELD_KEYS[label.lower()], start, match.end(), *match.span("value"))
            if first_field is None:
                first_field = span
            spans.append(span)
            continue
        if match.group("notes") is not None:
            details = _CALL_DETAILS.search(body, match.end())
            if details is not None:
                span = Span("note", start, details.end())
            else:
                # Degraded: up to the first field or block, or the end of the body.
                following = _MARKER.search(body, match.end())
                while following is not None and following.group("notes") is not None:
                    following = _MARKER.search(body, following.end())
                span = Span("note", start, following.start() if following is not None else len(body), -1, -1, True)
        else:
            closing = _DIV_END.search(body, match.end())
            span = Span(_BLOCK_KEYS[match.group("title").lower()], start, closing.end() if closing else match.end())
        spans.append(span)
        skip_to = span.end
    list_end = _field_list_end(body, first_field) if first_field is not None else -1
    return Parsed(spans, list_end)
