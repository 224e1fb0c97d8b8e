"""Call-log composition: the 19 upserts of §2.2 applied to the existing body.

A new log is "upserts applied to the empty string", so create and update share one path.
Foreign text survives byte for byte, and composing the same request onto the result again
returns it unchanged (§4.8).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

import msgspec

from .dates import DEFAULT_LOG_DATE_FORMAT, format_local, parse_instant
from .durations import describe_duration
from .errors import ComposeError
from .items import ITEMS, format_snippets
from .journey import journey_lines
from .markdown import RISKY as MARKDOWN_RISKY
from .merge import Section, merge_sections
from .models import ComposeRequest, UserContext
from .plain import RISKY as PLAIN_RISKY
from .richtext import markdown_to_html
from .snippets import Snippet
from .values import (
    MAPPINGS,
    escape_html,
    is_truthy,
    setting_value,
    single_line,
    to_text,
)

__all__ = ["COMPOSED_FORMATS", "compose_call_log"]

COMPOSED_FORMATS: Final = ("text/plain", "text/html", "text/markdown")
"""The formats the composer writes; connectors with any other format build their own body."""

_URL_SCHEMES: Final = ("http://", "https://")
_SEQUENCES: Final = (list, tuple)  # a tuple, not ``list | tuple``: that union is rebuilt on every call
_DEFAULTS: Final[dict[str, bool]] = {item.key: item.default for item in ITEMS}
_ITEMS_BY_SETTING: Final[dict[str, tuple[str, ...]]] = {
    item.setting: tuple(other.key for other in ITEMS if other.setting == item.setting) for item in ITEMS
}
_SETTINGS: Final[frozenset[str]] = frozenset(_ITEMS_BY_SETTING)


def _enabled(settings: Mapping[str, Any] | None) -> Mapping[str, bool]:
    """Which items the user's settings switch on, keyed by item key.

    Only settings the user actually set are looked at: user settings hold many unrelated keys,
    and most users never touch these.
    """
    if not settings:
        return _DEFAULTS
    chosen = _SETTINGS.intersection(settings)
    if not chosen:
        return _DEFAULTS
    enabled = _DEFAULTS.copy()
    for setting in chosen:
        entry = settings[setting]
        value = entry.get("value") if type(entry) is dict or isinstance(entry, MAPPINGS) else None
        if value is not None:  # only null/absent take the default
            is_on = value is True or (value is not False and is_truthy(value))
            for key in _ITEMS_BY_SETTING[setting]:
                enabled[key] = is_on
    return enabled


class _Renderer:
    """Renders the sections of one request in one format, in §2.2 order.

    The helpers of ``values.py`` are inlined for the common case (a string with nothing to
    convert, escape or flag) and called only for the rest: a composition renders up to 19
    sections, and a Python call costs more than any of those checks.
    """

    __slots__ = ("hint", "hint2", "is_html", "risky", "sections", "snippets")

    def __init__(self, log_format: str) -> None:
        self.is_html = log_format == "text/html"
        self.snippets: dict[str, Snippet] = format_snippets(log_format)
        # A value that could read back as a marker once written is "risky" (see document.py);
        # the substrings every such value contains spare most values the regex.
        (self.hint, self.hint2), self.risky = _RISK[log_format]
        self.sections: list[Section] = []

    def field(self, key: str, value: object, snippet_key: str | None = None) -> None:
        """A one-line item; line breaks become spaces, and HTML escaping happens here."""
        # Strings and whole numbers (ids, scores) need no conversion beyond str().
        text = value if type(value) is str else str(value) if type(value) is int else to_text(value)
        if "\n" in text or "\r" in text:
            text = single_line(text)
        if self.is_html:
            if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
                text = escape_html(text)
            is_risky = False
        else:
            is_risky = (self.hint in text or self.hint2 in text) and self.risky.search(text) is not None
        snippet = self.snippets[snippet_key or key]
        self.sections.append((key, f"{snippet.head}{text}{snippet.tail}", is_risky))

    def link(self, key: str, value: object, is_ace: bool = False) -> None:
        """HTML shows an anchor only for http(s) URLs (difference 19); other formats the raw value."""
        if not self.is_html:
            self.field(key, value)
            return
        url = single_line(value if type(value) is str else to_text(value))
        if url[:8].lower().startswith(_URL_SCHEMES):
            anchor = self.snippets["link"]
            if "&" in url or "<" in url or ">" in url or '"' in url or "'" in url:
                url = escape_html(url)
            text = f"{anchor.head}{url}{anchor.tail}"
        else:
            text = escape_html(url) if is_ace else "(pending...)"
        snippet = self.snippets[key]
        self.sections.append((key, f"{snippet.head}{text}{snippet.tail}", False))

    def block(self, key: str, value: object, as_markdown: bool = False) -> None:
        """A multi-line item (the note too): no trailing line breaks (difference 14); in HTML
        escaped, with ``<br>`` line breaks."""
        text = value if type(value) is str else to_text(value)
        if not self.is_html:
            text = text.rstrip("\r\n")
            is_risky = (self.hint in text or self.hint2 in text) and self.risky.search(text) is not None
        elif as_markdown:
            text, is_risky = markdown_to_html(text), False
        else:
            text, is_risky = text.rstrip("\r\n"), False
            if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
                text = escape_html(text)
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            if "\n" in text:
                text = text.replace("\n", "<br>")
        snippet = self.snippets[key]
        self.sections.append((key, f"{snippet.head}{text}{snippet.tail}", is_risky))

    def journey(self, lines: list[str]) -> None:
        # Journey lines are single lines already.
        text = "\n".join(lines)
        if self.is_html:
            if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
                text = escape_html(text)
            text = text.replace("\n", "<br>")
            is_risky = False
        else:
            text = text.rstrip("\r\n")
            is_risky = (self.hint in text or self.hint2 in text) and self.risky.search(text) is not None
        snippet = self.snippets["journey"]
        self.sections.append(("journey", f"{snippet.head}{text}{snippet.tail}", is_risky))


# Markdown has two marker starts; plain text repeats its one. HTML values are escaped (no "<"),
# so nothing in them can read back as a tag: its entry is never consulted.
_RISK: Final[dict[str, tuple[tuple[str, str], re.Pattern[str]]]] = {
    "text/plain": (("- ", "- "), PLAIN_RISKY),
    "text/markdown": (("**", "##"), MARKDOWN_RISKY),
    "text/html": (("<", "<"), PLAIN_RISKY),
}


def _mapping(value: object, name: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    if value is None:
        return {}
    if isinstance(value, MAPPINGS):
        return value
    raise ComposeError(f"{name} must be an object, not {type(value).__name__}")


def _user_parts(user: object) -> tuple[Mapping[str, Any] | None, object]:
    """Settings and offset from a ``UserContext`` or a plain mapping with the same keys."""
    if user is None:
        return None, None
    if isinstance(user, UserContext):
        settings, offset = user.userSettings, user.timezoneOffset
    elif isinstance(user, MAPPINGS):
        settings, offset = user.get("userSettings"), user.get("timezoneOffset")
    else:
        raise ComposeError(f"user must be an object, not {type(user).__name__}")
    if settings is not None and type(settings) is not dict and not isinstance(settings, MAPPINGS):
        raise ComposeError("user.userSettings must be an object")
    return settings, offset


def compose_call_log(request: ComposeRequest, *, render_markdown: bool = False) -> str:
    """The call-log body for ``request``: ``request.existingBody`` with every present item upserted.

    ``render_markdown`` (HTML only, off by default) renders the agent note and the AI summaries
    as Markdown through markdown-it with raw HTML disabled, instead of the reference's escaped
    text with ``<br>`` line breaks; it changes bytes, so it is opt-in.

    Raises ``ComposeError`` for an unknown ``logFormat`` or input of the wrong shape.
    """
    log_format = request.logFormat
    if log_format not in COMPOSED_FORMATS:
        raise ComposeError(f"unknown logFormat {log_format!r}; composed formats are {', '.join(COMPOSED_FORMATS)}")
    body = request.existingBody
    if body is None:
        body = ""
    elif not isinstance(body, str):
        raise ComposeError(f"existingBody must be a string, not {type(body).__name__}")
    try:
        return _compose(request, log_format, body, render_markdown=render_markdown)
    except ComposeError:
        raise
    except Exception as exc:  # the public contract: nothing but ComposeError escapes
        raise ComposeError(f"cannot compose call log: {type(exc).__name__}: {exc}") from exc


def _compose(request: ComposeRequest, log_format: str, body: str, *, render_markdown: bool) -> str:
    call_log = _mapping(request.callLog, "callLog")
    contact = _mapping(request.contactInfo, "contactInfo")
    settings, offset = _user_parts(request.user)
    on = _enabled(settings)
    rich = render_markdown and log_format == "text/html"
    c = _Renderer(log_format)

    # Each item: present (not absent, null or ""), then switched on; §2.2 order.
    value = request.note
    if value is not None and value != "" and on["note"]:
        c.block("note", value, rich)
    direction = call_log.get("direction")
    if call_log:
        value = call_log.get("sessionId")
        if value is not None and value != "" and on["session_id"]:
            c.field("session_id", value)
        own = call_log.get("to" if direction == "Inbound" else "from")
        if type(own) is dict or isinstance(own, MAPPINGS):
            value = own.get("name")
            if value is not None and value != "" and on["user_name"]:
                # Write-once: a known name is never overwritten, only the pending placeholder.
                c.field("user_name", value)
            value = own.get("phoneNumber")
            if value is not None and value != "" and on["user_number"]:
                extension = own.get("extensionNumber")
                if extension is not None and extension != "":
                    value = f"{to_text(value)} {to_text(extension)}"
                c.field("user_number", value)
    value = request.subject
    if value is not None and value != "" and on["subject"]:
        c.field("subject", value)
    value = contact.get("phoneNumber")
    if value is not None and value != "" and on["contact"]:
        # HTML names the contact by direction; the item is recognised under either label.
        snippet_key = None
        if c.is_html:
            snippet_key = "contact:Recipient phone number" if direction == "Outbound" else "contact:Caller phone number"
        c.field("contact", value, snippet_key)
    value = request.startTime
    if value is None or value == "":
        value = call_log.get("startTime")
    if value is not None and value != "" and on["date_time"]:
        pattern = setting_value(settings, "logDateFormat") if settings else None
        if not isinstance(pattern, str) or not pattern:
            pattern = DEFAULT_LOG_DATE_FORMAT
        when = format_local(parse_instant(value), offset, pattern)
        if when is not None:  # an unreadable start writes no item, never "Invalid date"
            c.field("date_time", when)
    if request.duration is not msgspec.UNSET and on["duration"]:
        c.field("duration", describe_duration(request.duration))
    value = request.result
    if value is not None and value != "" and on["result"]:
        c.field("result", value)
    value = request.recordingLink
    if value is not None and value != "" and on["recording"]:
        c.link("recording", value)
    value = request.voicemailLink
    if value is not None and value != "" and on["voicemail"]:
        c.link("voicemail", value)
    value = request.aiNote
    if value is not None and value != "" and on["ai_note"]:
        c.block("ai_note", value, rich)
    value = request.transcript
    if value is not None and value != "" and on["transcript"]:
        c.block("transcript", value)
    value = request.ringSenseTranscript
    if value is not None and value != "" and on["ace_transcript"]:
        c.block("ace_transcript", value)
    value = request.ringSenseSummary
    if value is not None and value != "" and on["ace_summary"]:
        c.block("ace_summary", value, rich)
    value = request.ringSenseAIScore
    if value is not None and value != "" and value != 0 and on["score"]:
        c.field("score", value)
    value = request.ringSenseBulletedSummary
    if value is not None and value != "" and on["ace_bulleted"]:
        c.block("ace_bulleted", value, rich)
    value = request.ringSenseLink
    if value is not None and value != "" and on["ace_link"]:
        c.link("ace_link", value, True)
    legs = call_log.get("legs")
    if isinstance(legs, _SEQUENCES) and legs and on["journey"]:
        c.journey(journey_lines(legs))
    return merge_sections(body, log_format, c.sections)
