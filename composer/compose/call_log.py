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
from .items import ITEMS, ITEMS_BY_KEY, format_snippets
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
    html_lines,
    is_present,
    multi_line,
    setting_enabled,
    setting_value,
    single_line,
    to_text,
)

__all__ = ["COMPOSED_FORMATS", "compose_call_log"]

COMPOSED_FORMATS: Final = ("text/plain", "text/html", "text/markdown")
"""The formats the composer writes; connectors with any other format build their own body."""

# A cheap substring test guards each risky-text regex; most values contain neither.
_RISK: Final[dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]]] = {
    "text/plain": (("- ",), PLAIN_RISKY),
    "text/markdown": (("**", "##"), MARKDOWN_RISKY),
    "text/html": ((), None),
}
_URL_SCHEMES: Final = ("http://", "https://")
_DEFAULTS: Final[dict[str, bool]] = {item.key: item.default for item in ITEMS}


class _Renderer:
    """Renders the sections of one request in one format; knows the user's settings."""

    __slots__ = ("is_html", "risk_hints", "risk_pattern", "sections", "settings", "snippets")

    def __init__(self, log_format: str, settings: Mapping[str, Any] | None) -> None:
        self.is_html = log_format == "text/html"
        self.snippets: dict[str, Snippet] = format_snippets(log_format)
        # Most users keep the defaults; then no setting needs looking up.
        self.settings = settings or None
        self.risk_hints, self.risk_pattern = _RISK[log_format]
        self.sections: list[Section] = []

    def is_enabled(self, key: str) -> bool:
        settings = self.settings
        if settings is None or ITEMS_BY_KEY[key].setting not in settings:
            return _DEFAULTS[key]
        item = ITEMS_BY_KEY[key]
        return setting_enabled(settings, item.setting, item.default)

    def _is_risky(self, text: str) -> bool:
        """Could ``text`` read back as a marker once written? Then merging re-reads the body."""
        pattern = self.risk_pattern
        if pattern is None:
            return False
        for hint in self.risk_hints:
            if hint in text:
                return pattern.search(text) is not None
        return False

    def _multi_line(self, text: str, *, as_markdown: bool) -> str:
        if not self.is_html:
            return multi_line(text)
        return markdown_to_html(text) if as_markdown else html_lines(multi_line(text))

    def note(self, text: str, *, as_markdown: bool) -> None:
        prepared = self._multi_line(text, as_markdown=as_markdown)
        self.sections.append(("note", self.snippets["note"].fill(prepared), self._is_risky(prepared)))

    def field(self, key: str, text: str, *, snippet_key: str | None = None) -> None:
        """``text`` is already single-line; HTML escaping happens here."""
        prepared = escape_html(text) if self.is_html else text
        self.sections.append((key, self.snippets[snippet_key or key].fill(prepared), self._is_risky(prepared)))

    def link(self, key: str, url: str, *, is_ace: bool = False) -> None:
        """HTML shows an anchor only for http(s) URLs (difference 19); other formats the raw value."""
        if not self.is_html:
            self.field(key, url)
            return
        if url[:8].lower().startswith(_URL_SCHEMES):
            prepared = self.snippets["link"].fill(escape_html(url))
        else:
            prepared = escape_html(url) if is_ace else "(pending...)"
        self.sections.append((key, self.snippets[key].fill(prepared), False))

    def block(self, key: str, text: str, *, as_markdown: bool = False) -> None:
        prepared = self._multi_line(text, as_markdown=as_markdown)
        self.sections.append((key, self.snippets[key].fill(prepared), self._is_risky(prepared)))

    def journey(self, lines: list[str]) -> None:
        if self.is_html:
            prepared = "<br>".join(escape_html(line) for line in lines)
        else:
            prepared = multi_line("\n".join(lines))
        self.sections.append(("journey", self.snippets["journey"].fill(prepared), self._is_risky(prepared)))


def _mapping(value: object, name: str) -> Mapping[str, Any]:
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
    if settings is not None and not isinstance(settings, MAPPINGS):
        raise ComposeError("user.userSettings must be an object")
    return settings, offset


def _text(value: object) -> str:
    return single_line(to_text(value))


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
    rich = render_markdown and log_format == "text/html"
    c = _Renderer(log_format, settings)

    if is_present(request.note) and c.is_enabled("note"):
        c.note(to_text(request.note), as_markdown=rich)
    direction = call_log.get("direction")
    if call_log:
        session_id = call_log.get("sessionId")
        if is_present(session_id) and c.is_enabled("session_id"):
            c.field("session_id", _text(session_id))
        own = call_log.get("to" if direction == "Inbound" else "from")
        if isinstance(own, MAPPINGS):
            name = own.get("name")
            if is_present(name) and c.is_enabled("user_name"):
                # Write-once: a known name is never overwritten, only the pending placeholder.
                c.field("user_name", _text(name))
            number = own.get("phoneNumber")
            if is_present(number) and c.is_enabled("user_number"):
                extension = own.get("extensionNumber")
                text = f"{to_text(number)} {to_text(extension)}" if is_present(extension) else to_text(number)
                c.field("user_number", single_line(text))
    if is_present(request.subject) and c.is_enabled("subject"):
        c.field("subject", _text(request.subject))
    contact_number = contact.get("phoneNumber")
    if is_present(contact_number) and c.is_enabled("contact"):
        # HTML names the contact by direction; the item is recognised under either label.
        snippet_key = None
        if c.is_html:
            snippet_key = "contact:Recipient phone number" if direction == "Outbound" else "contact:Caller phone number"
        c.field("contact", _text(contact_number), snippet_key=snippet_key)
    start = request.startTime if is_present(request.startTime) else call_log.get("startTime")
    if is_present(start) and c.is_enabled("date_time"):
        pattern = setting_value(settings, "logDateFormat")
        if not isinstance(pattern, str) or not pattern:
            pattern = DEFAULT_LOG_DATE_FORMAT
        when = format_local(parse_instant(start), offset, pattern)
        if when is not None:  # an unreadable start writes no item, never "Invalid date"
            c.field("date_time", single_line(when))
    if request.duration is not msgspec.UNSET and c.is_enabled("duration"):
        c.field("duration", single_line(describe_duration(request.duration)))
    if is_present(request.result) and c.is_enabled("result"):
        c.field("result", _text(request.result))
    if is_present(request.recordingLink) and c.is_enabled("recording"):
        c.link("recording", _text(request.recordingLink))
    if is_present(request.voicemailLink) and c.is_enabled("voicemail"):
        c.link("voicemail", _text(request.voicemailLink))
    if is_present(request.aiNote) and c.is_enabled("ai_note"):
        c.block("ai_note", to_text(request.aiNote), as_markdown=rich)
    if is_present(request.transcript) and c.is_enabled("transcript"):
        c.block("transcript", to_text(request.transcript))
    if is_present(request.ringSenseTranscript) and c.is_enabled("ace_transcript"):
        c.block("ace_transcript", to_text(request.ringSenseTranscript))
    if is_present(request.ringSenseSummary) and c.is_enabled("ace_summary"):
        c.block("ace_summary", to_text(request.ringSenseSummary), as_markdown=rich)
    score = request.ringSenseAIScore
    if is_present(score) and score != 0 and c.is_enabled("score"):
        c.field("score", _text(score))
    if is_present(request.ringSenseBulletedSummary) and c.is_enabled("ace_bulleted"):
        c.block("ace_bulleted", to_text(request.ringSenseBulletedSummary), as_markdown=rich)
    if is_present(request.ringSenseLink) and c.is_enabled("ace_link"):
        c.link("ace_link", _text(request.ringSenseLink), is_ace=True)
    legs = call_log.get("legs")
    if isinstance(legs, list | tuple) and legs and c.is_enabled("journey"):
        c.journey(journey_lines(legs))
    return merge_sections(body, log_format, c.sections)
