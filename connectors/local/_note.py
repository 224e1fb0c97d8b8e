"""Reading the agent note back out of a composed call-log body (log-format §4.9).

Best effort by design: ``getCallLog`` reports the note for the client's form, while the
composer always merges into ``fullBody``, so a note that cannot be found is ``""`` and
never an error.
"""

from __future__ import annotations

import html
import re

__all__ = ["extract_note"]

# Plain-text labels that end the Agent-notes section when they start a line.
_PLAIN_LABELS = (
    "Session Id",
    "RingCentral user name",
    "RingCentral number and extension",
    "Summary",
    "Contact Number",
    "Date/Time",
    "Duration",
    "Result",
    "Call recording link",
    "Voicemail recording link",
    "AI Note",
    "Transcript",
    "ACE transcript",
    "ACE summary",
    "Call score",
    "ACE bulleted summary",
    "ACE recording link",
    "Call journey",
)
_PLAIN_NOTE = re.compile(r"(?:^|\n)- (?:Note|Agent notes): ?")
_PLAIN_NEXT = re.compile(r"\n- (?:" + "|".join(re.escape(label) for label in _PLAIN_LABELS) + r"):")
_MD_NOTE = re.compile(r"(?:^|\n)## Agent notes\r?\n(.*?)\r?\n(?:\r?\n)?## Call details", re.DOTALL)
_HTML_NOTE = re.compile(r"<b>Agent notes</b><br>(.*?)<br><br><b>Call details</b>", re.DOTALL | re.IGNORECASE)
_HTML_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def extract_note(body: str, fmt: str) -> str:
    if fmt == "text/html":
        match = _HTML_NOTE.search(body)
        return html.unescape(_HTML_BR.sub("\n", match.group(1))) if match else ""
    if fmt == "text/markdown":
        md = _MD_NOTE.search(body)
        return md.group(1).strip() if md else ""
    start = _PLAIN_NOTE.search(body)
    if start is None:
        return ""
    rest = body[start.end() :]
    end = _PLAIN_NEXT.search(rest)
    return (rest[: end.start()] if end else rest).strip()
