"""Message-log bodies that connectors build (log-format §6.2-6.4).

One CRM activity holds one conversation per day: ``compose_message_log`` creates it with its
first message and ``append_message`` adds each later one before the END marker and bumps the
message count. Times use the user's offset on create *and* append, names and texts are
escaped in HTML, every message is followed by a blank line, and MMS media stay reachable
(deliberate differences 27-30).

Markdown connectors get the plain-text layout: the spec defines no Markdown message log, and
the plain layout reads correctly as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

import msgspec

from .dates import format_local, parse_instant
from .errors import ComposeError
from .snippets import compile_snippet
from .templates import MESSAGE_LOG
from .values import escape_html, html_lines, is_present, single_line, to_text

__all__ = ["SIGNATURE", "MessageKind", "MessageLog", "append_message", "compose_message_log", "message_kind"]

MessageKind = Literal["SMS", "MMS", "Voicemail", "Fax"]

SIGNATURE: Final = "--- Created via RingCentral App Connect"
_DAY: Final = "dddd, MMMM DD, YYYY"
_TIME: Final = "hh:mm A"
_LAYOUTS: Final[dict[str, str]] = {"text/plain": "text/plain", "text/markdown": "text/plain", "text/html": "text/html"}
_TITLES: Final[dict[str, str]] = {
    "SMS": "SMS conversation with",
    "MMS": "SMS conversation with",
    "Voicemail": "Voicemail left by",
    "Fax": "Fax document sent from",
}
_PLAIN_END: Final = "------------\nEND"
_PLAIN_COUNT: Final = re.compile(r"Conversation\((\d+) messages\)")
_HTML_END: Final = "</ul>------------<br>"
_HTML_COUNT: Final = re.compile(r"<br>Conversation\((\d+) messages\)")


class MessageLog(msgspec.Struct, kw_only=True):
    """A new activity: its title and its body."""

    subject: str
    body: str


def message_kind(
    *, recording_link: object = None, fax_doc_link: object = None, media_link: object = None
) -> MessageKind:
    """Recording → Voicemail, fax document → Fax, media → MMS, otherwise SMS (§6.1)."""
    if is_present(recording_link):
        return "Voicemail"
    if is_present(fax_doc_link):
        return "Fax"
    if is_present(media_link):
        return "MMS"
    return "SMS"


def _layout(log_format: str) -> str:
    try:
        return _LAYOUTS[log_format]
    except KeyError:
        raise ComposeError(f"unknown logFormat {log_format!r} for a message log") from None


def _when(creation_time: object, timezone_offset: object, pattern: str) -> str:
    when = format_local(parse_instant(creation_time), timezone_offset, pattern)
    if when is None:
        raise ComposeError(f"creation_time {creation_time!r} is not a readable time")
    return when


def _message_text(kind: MessageKind, text: str | None, link: str | None) -> str:
    body = to_text(text)
    if kind == "MMS":
        # Media stay reachable from the CRM (difference 30).
        return f"[Message]: {body or 'N/A'}\n[Link]: {to_text(link)}"
    return body


def _sender(*, direction: str, user_name: str, contact_name: str, contact_phone: str) -> str:
    if direction == "Inbound":
        return f"{contact_name} ({contact_phone})"
    return user_name


def _entry(
    layout: str,
    *,
    kind: MessageKind,
    direction: str,
    user_name: str,
    contact_name: str,
    contact_phone: str,
    text: str | None,
    link: str | None,
    creation_time: object,
    timezone_offset: object,
) -> str:
    sender = _sender(direction=direction, user_name=user_name, contact_name=contact_name, contact_phone=contact_phone)
    time = _when(creation_time, timezone_offset, _TIME)
    message = _message_text(kind, text, link)
    if layout == "text/html":
        sender, message = escape_html(sender), html_lines(message)
    return compile_snippet(MESSAGE_LOG[layout]["entry"]).render(sender=sender, time=time, text=message)


def compose_message_log(
    *,
    log_format: str,
    kind: MessageKind = "SMS",
    direction: str,
    user_name: str,
    contact_name: str,
    contact_phone: str = "",
    text: str | None = None,
    link: str | None = None,
    creation_time: object,
    timezone_offset: object = None,
    correspondents: Sequence[str | None] = (),
    date_format: str = "YY/MM/DD",
) -> MessageLog:
    """The activity that opens a day's conversation, or a voicemail/fax activity.

    ``link`` is the media link (MMS), recording link (Voicemail) or fax document link (Fax).
    ``correspondents`` are the names of further group-SMS participants (``None`` → ``Unknown``).
    ``date_format`` is the moment.js format of the date in the title (Clio uses ``MM/DD/YYYY``).
    ``creation_time`` is ISO-8601 or epoch milliseconds; ``timezone_offset`` follows §5.2.

    Raises ``ComposeError`` for an unknown format or an unreadable creation time.
    """
    layout = _layout(log_format)
    templates = MESSAGE_LOG[layout]
    is_html = layout == "text/html"
    escape = escape_html if is_html else str
    user_name = single_line(to_text(user_name))
    contact_name = single_line(to_text(contact_name))
    contact_phone = single_line(to_text(contact_phone))
    subject = f"{_TITLES[kind]} {contact_name} - {_when(creation_time, timezone_offset, date_format)}"
    if kind in ("Voicemail", "Fax"):
        source = templates["voicemail" if kind == "Voicemail" else "fax"]
        body = compile_snippet(source).render(
            subject=escape(subject), link=escape(single_line(to_text(link))), signature=SIGNATURE
        )
        return MessageLog(subject=subject, body=body)
    extra_template = compile_snippet(templates["extra"])
    extra = ("" if is_html else "\n").join(
        extra_template.fill(escape(single_line(to_text(name)) or "Unknown")) for name in correspondents
    )
    head = compile_snippet(templates["head"]).render(
        subject=escape(subject),
        day=_when(creation_time, timezone_offset, _DAY),
        user=escape(user_name),
        contact=escape(contact_name),
        extra=extra,
    )
    entry = _entry(
        layout,
        kind=kind,
        direction=direction,
        user_name=user_name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        text=text,
        link=link,
        creation_time=creation_time,
        timezone_offset=timezone_offset,
    )
    tail = compile_snippet(templates["tail"]).render(signature=SIGNATURE)
    return MessageLog(subject=subject, body=head + entry + tail)


def append_message(
    existing_body: str,
    *,
    log_format: str,
    kind: MessageKind = "SMS",
    direction: str,
    user_name: str,
    contact_name: str,
    contact_phone: str = "",
    text: str | None = None,
    link: str | None = None,
    creation_time: object,
    timezone_offset: object = None,
) -> str:
    """``existing_body`` with one more message before its END marker and its count increased.

    A body whose END marker was edited away gets the message at its end, so no message is lost.
    Raises ``ComposeError`` for an unknown format, an unreadable creation time, or a
    Voicemail/Fax kind (those are one activity per message).
    """
    if kind in ("Voicemail", "Fax"):
        raise ComposeError(f"{kind} logs are one activity per message; nothing to append to")
    layout = _layout(log_format)
    entry = _entry(
        layout,
        kind=kind,
        direction=direction,
        user_name=single_line(to_text(user_name)),
        contact_name=single_line(to_text(contact_name)),
        contact_phone=single_line(to_text(contact_phone)),
        text=text,
        link=link,
        creation_time=creation_time,
        timezone_offset=timezone_offset,
    )
    end_marker, count = (_HTML_END, _HTML_COUNT) if layout == "text/html" else (_PLAIN_END, _PLAIN_COUNT)
    position = existing_body.find(end_marker)
    if position == -1:
        body = existing_body + entry
    else:
        body = existing_body[:position] + entry + existing_body[position:]
    match = count.search(body)
    if match is None:
        return body
    number = str(int(match.group(1)) + 1)
    return body[: match.start(1)] + number + body[match.end(1) :]
