"""Merging rendered sections into a body: the upsert rules of §4.1 and §4.5.

Each section replaces its item in place, or is added where the format puts new items. The
sections are applied in §2.2 order and each sees the result of the previous one; the
body-level bookkeeping (edits, re-parsing) lives in ``document.Editor``.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Final

from .document import Editor, Parser
from .html import parse_html
from .items import ADDED as _ADDED
from .items import ITEMS
from .markdown import parse_markdown
from .plain import parse_plain

__all__ = ["Section", "merge_sections"]

Section = tuple[str, str, bool]
"""``(item key, rendered section, is_risky)``: risky text might read back as a marker."""

_PARSERS: Final[dict[str, Parser]] = {
    "text/plain": parse_plain,
    "text/html": parse_html,
    "text/markdown": parse_markdown,
}
_KINDS: Final[dict[str, str]] = {item.key: item.kind for item in ITEMS}

_IS_RISKY: Final = itemgetter(2)
_PENDING: Final = "(pending...)"
_CALL_DETAILS_MD: Final = "## Call details"


def merge_sections(body: str, log_format: str, sections: list[Section]) -> str:
    """``body`` with every section upserted, in order; sections come in §2.2 order."""
    if not body and not any(map(_IS_RISKY, sections)):
        return _new_body(log_format, sections)
    return _upsert_all(body, log_format, sections)


def _upsert_all(body: str, log_format: str, sections: list[Section]) -> str:
    editor = Editor(body, _PARSERS[log_format])
    text_of, is_fresh = editor.parsed.text_of, True
    for key, rendered, is_risky in sections:
        # Unchanged (updates mostly re-send the same values): nothing to do, whatever the kind;
        # this is the test Editor.replace starts with, without building the span.
        if is_fresh and text_of(key) == rendered:
            continue
        kind = _KINDS[key]
        if kind == "field":
            _upsert_field(editor, log_format, key, rendered, is_risky=is_risky, is_write_once=key == "user_name")
        elif kind == "note":
            _upsert_note(editor, log_format, rendered, is_risky=is_risky)
        else:
            _upsert_block(editor, log_format, key, rendered, is_risky=is_risky)
        # A risky edit leaves the parse stale until the next find() reads the body again.
        text_of, is_fresh = editor.parsed.text_of, not editor.is_dirty
    return editor.text()


def _new_body(log_format: str, sections: list[Section]) -> str:
    """The upserts applied to an empty body, where nothing can be found: every section as it is
    added, in order (§2.2 puts the note, the one prepended item, first). Only for sections that
    cannot read back as markers."""
    added = _ADDED[log_format]
    parts = []
    for key, rendered, _is_risky in sections:
        before, after = added[key]
        parts.append(before + rendered + after)
    return "".join(parts)


def _upsert_note(editor: Editor, log_format: str, rendered: str, *, is_risky: bool) -> None:
    """Replace the Agent notes, or prepend them: the only item that goes first."""
    span = editor.find("note")
    if span is not None:
        if span.degraded:
            # Restore the lost closing marker on its own (§4.3, §4.4; difference 20).
            rendered += "<br>" if log_format == "text/html" else "\n"
        editor.replace(span, rendered, is_risky=is_risky)
    elif log_format == "text/plain":
        _add_plain_note(editor, rendered, is_risky=is_risky)
    elif log_format == "text/markdown":
        if editor.body.startswith(_CALL_DETAILS_MD):
            editor.prepend(rendered[: -len(_CALL_DETAILS_MD)], is_risky=is_risky)
        else:
            editor.prepend(rendered + "\n", is_risky=is_risky)
    else:
        editor.prepend(rendered + _ADDED[log_format]["note"][1])


def _upsert_field(
    editor: Editor, log_format: str, key: str, rendered: str, *, is_risky: bool, is_write_once: bool = False
) -> None:
    """Replace a one-line field, or add it (HTML: into the field list when there is one).

    A write-once field (the RingCentral user name, §4.6) replaces only the pending placeholder.
    """
    span = editor.find(key)
    if span is not None:
        if is_write_once and editor.value(span).strip() != _PENDING:
            return
        editor.replace(span, rendered, is_risky=is_risky)
    elif log_format == "text/html":
        editor.insert_field(rendered)
    else:
        _append(editor, log_format, key, rendered, is_risky=is_risky)


def _upsert_block(editor: Editor, log_format: str, key: str, rendered: str, *, is_risky: bool) -> None:
    """Replace a multi-line block, or append it at the very end."""
    span = editor.find(key)
    if span is not None:
        editor.replace(span, rendered, is_risky=is_risky)
    else:
        _append(editor, log_format, key, rendered, is_risky=is_risky)


def _append(editor: Editor, log_format: str, key: str, rendered: str, *, is_risky: bool) -> None:
    before, after = _ADDED[log_format][key]
    # Plain text and Markdown first end an unterminated last line (difference 13).
    if log_format != "text/html" and editor.needs_line_break():
        before = "\n" + before
    editor.append(before + rendered + after, is_risky=is_risky)


def _add_plain_note(editor: Editor, rendered: str, *, is_risky: bool) -> None:
    """Prepend the note, unless that would make it swallow the body's first lines.

    A plain note runs to the next line that starts with a marker (§4.2), so a note put in front
    of user text or a blank line would absorb them on the next update: the text would be lost
    and the update not idempotent (§4.8). Then the note goes before the first such line
    instead (or at the end when there is none); for every body the composer itself writes,
    that is the very start, as §4.5 says.
    """
    body = editor.body
    first_line_item = next(
        (span.start for span in editor.parsed.spans if span.start == 0 or body[span.start - 1] == "\n"), None
    )
    if not body or first_line_item == 0:
        editor.prepend(rendered + "\n", is_risky=is_risky)
    elif first_line_item is not None:
        editor.insert(first_line_item, rendered + "\n", is_risky=True)
    else:
        editor.append(("\n" if editor.needs_line_break() else "") + rendered + "\n", is_risky=True)
