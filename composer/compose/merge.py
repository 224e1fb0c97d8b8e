"""The upsert rules of §4.5: replace an item in place, or add it where the format puts new items.

Each function handles one item kind for all three formats; the body-level bookkeeping
(edits, re-parsing) lives in ``document.Editor``.
"""

from __future__ import annotations

from typing import Final

from .document import Editor

__all__ = ["upsert_block", "upsert_field", "upsert_note"]

_PENDING: Final = "(pending...)"
_CALL_DETAILS_MD: Final = "## Call details"
# Only these two blocks are followed by a <br> in HTML (§3.1); the others are not.
_HTML_BLOCKS_WITH_BREAK: Final = frozenset({"ai_note", "transcript"})


def upsert_note(editor: Editor, log_format: str, rendered: str, *, is_risky: bool) -> None:
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
        editor.prepend(rendered + "<br>")


def upsert_field(
    editor: Editor, log_format: str, key: str, rendered: str, *, is_risky: bool, is_write_once: bool = False
) -> None:
    """Replace a one-line field, or add it (HTML: into the field list when there is one)."""
    span = editor.find(key)
    if span is not None:
        if is_write_once and editor.value(span).strip() != _PENDING:
            return
        editor.replace(span, rendered, is_risky=is_risky)
    elif log_format == "text/html":
        editor.insert_field(rendered)
    else:
        editor.append(("\n" if editor.needs_line_break() else "") + rendered + "\n", is_risky=is_risky)


def upsert_block(editor: Editor, log_format: str, key: str, rendered: str, *, is_risky: bool) -> None:
    """Replace a multi-line block, or append it at the very end."""
    span = editor.find(key)
    if span is not None:
        editor.replace(span, rendered, is_risky=is_risky)
    elif log_format == "text/html":
        editor.append(rendered + "<br>" if key in _HTML_BLOCKS_WITH_BREAK else rendered)
    else:
        lead = "\n" if editor.needs_line_break() else ""
        if log_format == "text/plain":
            # Plain blocks open with a blank line; the journey block does not (§3.2).
            if key != "journey":
                lead += "\n"
            rendered += "\n"
        editor.append(lead + rendered, is_risky=is_risky)


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
