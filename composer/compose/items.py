"""The 19 call-log items (§2.2) with their labels (§3.1), settings and compiled snippets.

The table order is the physical order in which missing items are appended, so it is also the
order in which the composer applies its upserts.
"""

from __future__ import annotations

from functools import cache
from typing import Final, Literal, NamedTuple

from .snippets import Snippet, compile_snippet
from .templates import CALL_LOG

__all__ = ["ADDED", "CONTACT_LABELS_HTML", "ITEMS", "ITEMS_BY_KEY", "Item", "Kind", "format_snippets"]

Kind = Literal["note", "field", "block", "journey"]


class Item(NamedTuple):
    key: str
    kind: Kind
    setting: str
    default: bool
    plain: str
    markdown: str
    html: str


ITEMS: Final[tuple[Item, ...]] = (
    Item("note", "note", "addCallLogNote", True, "Note", "Agent notes", "Agent notes"),
    Item("session_id", "field", "addCallSessionId", False, "Session Id", "Session Id", "Session Id"),
    Item(
        "user_name", "field", "addRingCentralUserName", False,
        "RingCentral user name", "RingCentral user name", "RingCentral user name",
    ),
    Item(
        "user_number", "field", "addRingCentralNumber", False,
        "RingCentral number and extension", "RingCentral number and extension", "RingCentral number and extension",
    ),
    Item("subject", "field", "addCallLogSubject", True, "Summary", "Summary", "Summary"),
    # HTML names the contact by direction; see CONTACT_LABELS_HTML.
    Item("contact", "field", "addCallLogContactNumber", False, "Contact Number", "Contact Number", "Caller phone number"),
    Item("date_time", "field", "addCallLogDateTime", True, "Date/Time", "Date/Time", "Date/time"),
    Item("duration", "field", "addCallLogDuration", True, "Duration", "Duration", "Duration"),
    Item("result", "field", "addCallLogResult", True, "Result", "Result", "Result"),
    Item("recording", "field", "addCallLogRecording", True, "Call recording link", "Call recording link", "Call recording link"),
    Item(
        "voicemail", "field", "addCallLogRecording", True,
        "Voicemail recording link", "Voicemail recording link", "Voicemail recording link",
    ),
    Item("ai_note", "block", "addCallLogAiNote", True, "AI Note", "AI Note", "AI Note"),
    Item("transcript", "block", "addCallLogTranscript", True, "Transcript", "Transcript", "Transcript"),
    Item(
        "ace_transcript", "block", "addCallLogRingSenseRecordingTranscript", True,
        "ACE transcript", "ACE transcript", "ACE transcript",
    ),
    Item("ace_summary", "block", "addCallLogRingSenseRecordingSummary", True, "ACE summary", "ACE summary", "ACE summary"),
    Item("score", "field", "addCallLogRingSenseRecordingAIScore", True, "Call score", "Call score", "Call score"),
    Item(
        "ace_bulleted", "block", "addCallLogRingSenseRecordingBulletedSummary", True,
        "ACE bulleted summary", "ACE bulleted summary", "ACE bulleted summary",
    ),
    Item(
        "ace_link", "field", "addCallLogRingSenseRecordingLink", True,
        "ACE recording link", "ACE recording link", "ACE recording link",
    ),
    Item("journey", "journey", "addCallLogLegs", True, "Call journey", "Call journey", "Call journey"),
)  # fmt: skip

ITEMS_BY_KEY: Final[dict[str, Item]] = {item.key: item for item in ITEMS}

CONTACT_LABELS_HTML: Final[tuple[str, str]] = ("Recipient phone number", "Caller phone number")

_LABEL_COLUMN = {"text/plain": 4, "text/markdown": 5, "text/html": 6}


def _added_forms() -> dict[str, dict[str, tuple[str, str]]]:
    forms: dict[str, dict[str, tuple[str, str]]] = {"text/plain": {}, "text/markdown": {}, "text/html": {}}
    for item in ITEMS:
        # Plain blocks open with a blank line, even in an empty body; the journey block does not.
        forms["text/plain"][item.key] = ("\n" if item.kind == "block" else "", "\n")
        forms["text/markdown"][item.key] = ("", "\n" if item.kind in ("note", "field") else "")
        # Only the AI Note and Transcript blocks are followed by a <br> in HTML.
        is_followed_by_break = item.kind == "note" or item.key in ("ai_note", "transcript")
        forms["text/html"][item.key] = ("", "<br>" if is_followed_by_break else "")
    return forms


ADDED: Final[dict[str, dict[str, tuple[str, str]]]] = _added_forms()
"""What goes before and after a rendered section when it is added rather than replaced (§3),
by format and item key."""


@cache
def format_snippets(log_format: str) -> dict[str, Snippet]:
    """The compiled sections of one format, keyed by item key; built on first use, then shared.

    Besides the 19 items, HTML has ``link`` (the anchor) and ``contact:<label>`` (one per direction).
    """
    templates = CALL_LOG[log_format]
    column = _LABEL_COLUMN[log_format]
    compiled: dict[str, Snippet] = {}
    for item in ITEMS:
        label = item[column]
        assert isinstance(label, str)
        compiled[item.key] = compile_snippet(templates[item.kind], label=label)
    if log_format == "text/html":
        compiled["link"] = compile_snippet(templates["link"])
        for label in CONTACT_LABELS_HTML:
            compiled[f"contact:{label}"] = compile_snippet(templates["field"], label=label)
    return compiled
