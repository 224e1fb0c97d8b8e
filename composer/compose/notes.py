"""Reading the agent note back out of a composed body (log-format §4.9).

Connectors' ``getCallLog`` returns the note separately from the full body; it must come from
the same recognition the composer uses, or a note the composer wrote could read back wrong.
"""

from __future__ import annotations

import re
from typing import Final

from .call_log import COMPOSED_FORMATS
from .errors import ComposeError
from .html import parse_html
from .markdown import parse_markdown
from .plain import parse_plain

__all__ = ["extract_note"]

_PLAIN_MARKER: Final = re.compile(r"- (?:Note|Agent notes):")
_HTML_OPEN: Final = re.compile(r"<b\s*>\s*Agent notes\s*</b\s*>(?:<br\s*/?>)?", re.IGNORECASE)
_HTML_CLOSE: Final = re.compile(r"(?:<br\s*/?>){0,2}<b\s*>\s*Call details\s*</b\s*>$", re.IGNORECASE)
_TRAILING_BREAKS: Final = re.compile(r"(?:<br\s*/?>)+$", re.IGNORECASE)
_BR: Final = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITIES: Final = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#039;", "'"), ("&amp;", "&"))


def extract_note(body: str, *, log_format: str) -> str | None:
    """The agent note of ``body``, or ``None`` when the body has no Agent-notes section.

    Raises ``ComposeError`` for a format the composer does not compose.
    """
    if log_format == "text/plain":
        span = parse_plain(body).find("note")
        if span is None:
            return None
        return _PLAIN_MARKER.sub("", body[span.start : span.end], count=1).strip()
    if log_format == "text/markdown":
        span = parse_markdown(body).find("note")
        if span is None:
            return None
        content = body[span.start : span.end].partition("\n")[2]
        if span.degraded:
            return content.rstrip("\r\n")
        return content.removesuffix("## Call details").removesuffix("\n").removesuffix("\n")
    if log_format == "text/html":
        span = parse_html(body).find("note")
        if span is None:
            return None
        section = body[span.start : span.end]
        section = _HTML_OPEN.sub("", section, count=1)
        section = (_TRAILING_BREAKS if span.degraded else _HTML_CLOSE).sub("", section)
        text = _BR.sub("\n", section)
        for entity, character in _ENTITIES:
            text = text.replace(entity, character)
        return text
    raise ComposeError(f"unknown logFormat {log_format!r}; composed formats are {', '.join(COMPOSED_FORMATS)}")
