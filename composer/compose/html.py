"""Recognising call-log items in HTML bodies (§4.4).

Rich-text editors re-save what they display: tags change case, gain attributes or line
breaks, ``<li>`` wrappers go missing. Recognition tolerates all of that (deliberate
difference 9) and never looks inside the Agent notes or a block.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from .document import Parsed, Span
from .items import CONTACT_LABELS_HTML, ITEMS, Item, format_snippets
from .layout import Layout, item_group, value_group
from .snippets import Snippet

__all__ = ["parse_html"]

_FIELD_KEYS: Final[dict[str, str]] = {
    item.html.lower(): item.key for item in ITEMS if item.kind == "field" and item.key != "contact"
} | {label.lower(): "contact" for label in CONTACT_LABELS_HTML}
_BLOCK_KEYS: Final[dict[str, str]] = {item.html.lower(): item.key for item in ITEMS if item.kind in ("block", "journey")}

# Every marker is a bold label; one cheap scan finds them all, and the label decides what
# else to check around it. (A single regex with the optional <li>/<div> prefixes costs ~10x
# more: it can start at any position.)
_BOLD = re.compile(r"<[bB]\s*>([^<]{1,40})</[bB]\s*>")
_LI_OPEN = re.compile(r"<li\b[^>]*>\s*", re.IGNORECASE)
_DIV_OPEN = re.compile(r"<div\b[^>]*>\s*", re.IGNORECASE)
_BLOCK_BREAK = re.compile(r"\s*<br\s*/?>", re.IGNORECASE)
# After a field's label: the colon, then the value: one whole <a> element, or (inside an <li>
# that closes) text up to </li> even across line breaks, or text up to the next tag or line
# break; then the optional </li>. One pattern each, so a field costs one match after its label.
_WRAPPED_FIELD = re.compile(
    r"\s*:[ \t]*(<a\b[^>]*>[\s\S]*?</a\s*>|[^<]*(?=</li\s*>)|[^<\r\n]*)(?:\s*</li\s*>)?", re.IGNORECASE
)
_BARE_FIELD = re.compile(r"\s*:[ \t]*(<a\b[^>]*>[\s\S]*?</a\s*>|[^<\r\n]*)(?:\s*</li\s*>)?", re.IGNORECASE)
_CALL_DETAILS = re.compile(r"<b\s*>\s*Call details\s*</b\s*>", re.IGNORECASE)
_DIV_END = re.compile(r"</div\s*>", re.IGNORECASE)
_UL_TAG = re.compile(r"<(/?)ul\b[^>]*>", re.IGNORECASE)
_NOTES: Final = "agent notes"
# Labels exactly as the composer writes them, to skip normalising case and spaces.
_EXACT_LABELS: Final[dict[str, str]] = {
    label: label.lower()
    for label in [item.html for item in ITEMS if item.key != "contact"] + [*CONTACT_LABELS_HTML, "Agent notes"]
}


def _opening(body: str, start: int, tag: re.Pattern[str], written: str) -> int:
    """Start of the ``tag`` that directly precedes ``start`` (whitespace between), or -1.

    ``written`` is the tag as the composer writes it, checked first because it is by far
    the most common.
    """
    if start >= len(written) and body.startswith(written, start - len(written)):  # never wrap to the end
        return start - len(written)
    position = body.rfind("<", 0, start)
    if position != -1 and tag.fullmatch(body, position, start):
        return position
    return -1


def _field_list_end(body: str, field: Span) -> int:
    """Where new ``<li>`` fields go: before the ``</ul>`` of the list holding the first field."""
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


def _item_at(body: str, label: str, start: int, end: int) -> Span | None:
    """The item whose bold ``label`` is ``body[start:end]``, or ``None`` when it is not a marker."""
    if label not in _EXACT_LABELS:
        label = " ".join(label.split()).lower()
    else:
        label = _EXACT_LABELS[label]
    key = _FIELD_KEYS.get(label)
    if key is not None:
        opening = _opening(body, start, _LI_OPEN, "<li>")
        value = (_WRAPPED_FIELD if opening != -1 else _BARE_FIELD).match(body, end)
        if value is None:  # no colon: not a field
            return None
        return Span(key, start if opening == -1 else opening, value.end(), *value.span(1))
    key = _BLOCK_KEYS.get(label)
    if key is not None:
        opening = _opening(body, start, _DIV_OPEN, "<div>")
        if opening == -1 or _BLOCK_BREAK.match(body, end) is None:
            return None
        closing = _DIV_END.search(body, end)
        return Span(key, opening, closing.end() if closing is not None else end)
    if label == _NOTES:
        details = _CALL_DETAILS.search(body, end)
        if details is not None:
            return Span("note", start, details.end())
        # Degraded: up to the first field or block, or the end of the body.
        for following in _BOLD.finditer(body, end):
            item = _item_at(body, following[1], *following.span())
            if item is not None and item.key != "note":
                return Span("note", start, item.start, -1, -1, True)
        return Span("note", start, len(body), -1, -1, True)
    return None


def parse_html(body: str) -> Parsed:
    """Every recognised item, in body order, and the field list if the body has one."""
    return _layout().parse(body) or _scan(body)


def _scan(body: str) -> Parsed:
    """The general recogniser, for any body.

    It visits every bold label; a field or block exactly as the composer writes it is taken
    whole by the same match (see ``_scanner``), any other label is looked at by ``_item_at``.
    """
    spans: list[Span] = []
    first_field: Span | None = None
    skip_to = 0
    fields, blocks = _COMPOSED_FIELDS, _COMPOSED_BLOCKS
    for match in _scanner().finditer(body):
        start = match.start()
        if start < skip_to:
            continue  # inside the Agent notes or a block
        shape = match.lastindex
        if shape == _FIELD_VALUE:
            span: Span | None = Span(fields[match[_FIELD_LABEL]], start, match.end(), *match.span(_FIELD_VALUE))
        elif shape == _BLOCK_LABEL:
            span = Span(blocks[match[_BLOCK_LABEL]], start, match.end())
        else:
            span = _item_at(body, match[_LABEL], start, match.end())
        if span is None:
            continue
        spans.append(span)
        if span.value_start != -1:
            if first_field is None:
                first_field = span
        else:
            skip_to = span.end
    list_end = _field_list_end(body, first_field) if first_field is not None else -1
    return Parsed(body, spans, list_end)


# Groups of the scanner: a composed field (label, value), a composed block (label), any bold label.
_FIELD_LABEL, _FIELD_VALUE, _BLOCK_LABEL, _LABEL = 1, 2, 3, 4
_COMPOSED_FIELDS: Final[dict[str, str]] = {
    item.html: item.key for item in ITEMS if item.kind == "field" and item.key != "contact"
} | dict.fromkeys(CONTACT_LABELS_HTML, "contact")
_COMPOSED_BLOCKS: Final[dict[str, str]] = {item.html: item.key for item in ITEMS if item.kind in ("block", "journey")}


@cache
def _scanner() -> re.Pattern[str]:
    """Every bold label, where a field or block exactly as the composer writes it (exact tags
    and labels, escaped text) is matched whole: what ``_item_at`` would find for it, in one match.

    A composed value holds no tag, so no bold is skipped by taking it whole; a composed item
    starts with its tag, before its bold, so whether it lies inside a block or the notes is
    decided exactly as for its bold.
    """
    snippets = format_snippets("text/html")
    field, block, anchor = snippets["subject"], snippets["ai_note"], snippets["link"]
    field_head, field_tail = (re.escape(part) for part in field.head.split("Summary"))
    block_head, block_tail = (re.escape(part) for part in block.head.split("AI Note"))
    fields = "|".join(re.escape(label) for label in sorted(_COMPOSED_FIELDS, key=len, reverse=True))
    blocks = "|".join(re.escape(label) for label in sorted(_COMPOSED_BLOCKS, key=len, reverse=True))
    link = rf"{re.escape(anchor.head)}[^\"<>]*+{re.escape(anchor.tail)}"
    return re.compile(
        rf"{field_head}({fields}){field_tail}({link}|{_VALUE}){re.escape(field.tail)}"
        rf"|{block_head}({blocks}){block_tail}{_TEXT}*+{re.escape(block.tail)}"
        rf"|{_BOLD.pattern}"
    )


# --- the composer's own layout (see layout.py) ---------------------------------------------------
# Composed HTML holds escaped text: no "<" but the composer's own tags, so no tag a rich-text
# editor or a user added (they fall back to the general recogniser), and no list for fields.

# A field value: no tag (inside an <li> it may span lines), not starting with the spaces the
# colon takes. Single-character exclusions: the regex engine scans them several times faster.
_VALUE = r"(?![ \t])[^<]*+"
# Multi-line text: escaped text and <br> line breaks.
_TEXT = r"(?:[^<]++|<br>)"
_LINKS: Final = frozenset(("recording", "voicemail", "ace_link"))


def _item_pattern(item: Item, snippet: Snippet, before: str, after: str) -> str:
    head, tail = re.escape(snippet.head), re.escape(snippet.tail)
    name = item_group(item)
    if item.kind == "field":
        value = _VALUE
        if item.key in _LINKS:
            anchor = format_snippets("text/html")["link"]
            value = rf"(?:{re.escape(anchor.head)}[^\"<>]*+{re.escape(anchor.tail)}|{_VALUE})"
        if item.key == "contact":
            # Either direction's label, so the value needs a group of its own (see layout.py).
            labels = "|".join(re.escape(text) for text in CONTACT_LABELS_HTML)
            start, end = snippet.head.split(item.html)
            head = rf"{re.escape(start)}(?:{labels}){re.escape(end)}"
            value = rf"(?P<{value_group(item)}>{value})"
        return rf"{re.escape(before)}(?P<{name}>{head}{value}{tail}){re.escape(after)}"
    # The notes run to the first Call details marker; a block to the first </div>.
    text = rf"{_TEXT}*?" if item.kind == "note" else rf"{_TEXT}*+"
    return rf"{re.escape(before)}(?P<{name}>{head}{text}{tail}){re.escape(after)}"


@cache
def _layout() -> Layout:
    return Layout("text/html", _item_pattern)
