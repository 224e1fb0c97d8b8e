"""Shared-SMS conversations (log-format §6.5): a whole conversation rendered as one activity.

The body is regenerated from the conversation on every create and update, so it is a pure
function of the request. Times use the user's offset rules (§5.2), entries are newest first,
and the conversation's creation instant is returned so connectors never date it "now"
(deliberate differences 22-26, 31).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from .dates import format_local, parse_instant, utc_iso
from .errors import ComposeError
from .models import SharedSmsLog, SharedSmsRequest
from .snippets import compile_snippet
from .templates import SHARED_SMS
from .values import escape_html, html_lines, is_present, single_line, to_text

__all__ = ["compose_shared_sms"]

_MESSAGE: Final = "AliveMessage"
_NOTE: Final = "AliveNote"
_ASSIGNMENT: Final = "ThreadAssignedHint"
_SUMMARY_TIME: Final = "dddd, MMMM DD, YYYY [at] hh:mm A"
_ENTRY_TIME: Final = "YYYY-MM-DD hh:mm A"
_UNKNOWN: Final = "Unknown"


def _name(party: object, *, allow_number: bool = False) -> str:
    if not isinstance(party, Mapping):
        return ""
    name = party.get("name")
    if is_present(name):
        return single_line(to_text(name))
    number = party.get("phoneNumber") if allow_number else None
    return single_line(to_text(number)) if is_present(number) else ""


def _entity_text(entity: Mapping[str, Any], fallback: str) -> str:
    for key in ("text", fallback):
        value = entity.get(key)
        if is_present(value):
            return to_text(value)
    return ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Renderer:
    """Format-specific escaping and time formatting for one request."""

    def __init__(self, log_format: str, offset: object) -> None:
        self.templates = SHARED_SMS[log_format]
        self.is_html = log_format == "text/html"
        self.offset = offset

    def name(self, text: str) -> str:
        return escape_html(text) if self.is_html else text

    def text(self, text: str) -> str:
        return html_lines(text) if self.is_html else text

    def time(self, instant: datetime | None, pattern: str) -> str:
        return format_local(instant, self.offset, pattern) or _UNKNOWN

    def render(self, template: str, /, **values: str) -> str:
        return compile_snippet(self.templates[template]).render(**values)


def _participants(contact: str, entities: Sequence[Mapping[str, Any]]) -> list[str]:
    names = [f"{contact} (customer)"]
    seen = {contact, names[0]}
    for entity in entities:
        for key in ("author", "from", "initiator", "assignee"):
            name = _name(entity.get(key), allow_number=key == "from")
            if name and name not in seen:
                seen.add(name)
                names.append(name)
    return names


def _entry(r: _Renderer, entity: Mapping[str, Any], contact: str, instant: datetime | None) -> str:
    record_type = entity.get("recordType")
    if record_type == _ASSIGNMENT:
        return r.render("assignment", name=r.name(_name(entity.get("assignee")) or _UNKNOWN))
    time = r.time(instant, _ENTRY_TIME)
    if record_type == _NOTE:
        author = _name(entity.get("author")) or _name(entity.get("initiator")) or _UNKNOWN
        return r.render("note", author=r.name(author), time=time, text=r.text(_entity_text(entity, "body")))
    if entity.get("direction") == "Inbound":
        sender = contact
    else:
        sender = _name(entity.get("author")) or _name(entity.get("from")) or _UNKNOWN
    return r.render("message", sender=r.name(sender), time=time, text=r.text(_entity_text(entity, "subject")))


def _duration(started: datetime | None, ended: datetime | None) -> str:
    if started is None or ended is None:
        return "0 d 0 h"
    seconds = max((ended - started).total_seconds(), 0.0)
    days, rest = divmod(int(seconds), 86_400)
    return f"{days} d {rest // 3600} h"


def compose_shared_sms(request: SharedSmsRequest) -> SharedSmsLog:
    """Subject, body and creation instant of a shared-SMS conversation.

    Raises ``ComposeError`` when the conversation is not an object or its lists are not lists.
    """
    conversation = request.conversation
    if not isinstance(conversation, Mapping):
        raise ComposeError("conversation must be an object")
    messages = conversation.get("messages") or []
    entities = conversation.get("entities") or []
    if not isinstance(messages, list) or not isinstance(entities, list):
        raise ComposeError("conversation.messages and conversation.entities must be arrays")
    entities = [entity for entity in entities if isinstance(entity, Mapping)]
    log_format = request.logFormat if request.logFormat in SHARED_SMS else "text/plain"
    r = _Renderer(log_format, request.timezoneOffset)
    contact = single_line(to_text(request.contactName))

    created = parse_instant(conversation.get("creationTime"))
    modified = [
        instant
        for message in messages
        if isinstance(message, Mapping) and (instant := parse_instant(message.get("lastModifiedTime"))) is not None
    ]
    ended = max(modified) if modified else created
    started = created if created is not None else (min(modified) if modified else None)

    participants = "".join(r.render("participant", name=r.name(name)) for name in _participants(contact, entities))
    body = r.render(
        "summary",
        started=r.time(started, _SUMMARY_TIME),
        ended=r.time(ended, _SUMMARY_TIME),
        duration=_duration(started, ended),
        participants=participants,
    )
    owner = conversation.get("owner")
    owner_name = _name(owner)
    if owner_name and isinstance(owner, Mapping):
        is_queue = owner.get("extensionType") == "Department" or "queue" in owner_name.lower()
        body += r.render("queue" if is_queue else "owner", owner=r.name(owner_name))

    message_count = sum(1 for entity in entities if entity.get("recordType") == _MESSAGE)
    note_count = sum(1 for entity in entities if entity.get("recordType") == _NOTE)
    counts = _plural(message_count, "message") + (f", {_plural(note_count, 'note')}" if note_count else "")

    timed = []
    for index, entity in enumerate(entities):
        if entity.get("recordType") in (_MESSAGE, _NOTE, _ASSIGNMENT):
            instant = parse_instant(entity.get("creationTime"))
            # Newest first; equal times keep input order; unreadable times go last.
            order = (0, -instant.timestamp(), index) if instant is not None else (1, 0.0, index)
            timed.append((order, entity, instant))
    timed.sort(key=lambda row: row[0])
    entries = "".join(_entry(r, entity, contact, instant) for _order, entity, instant in timed)
    body += r.render("conversation", counts=counts, entries=entries)
    return SharedSmsLog(
        subject=r.render("subject", contact=contact),
        body=body,
        creationTime=utc_iso(created) if created is not None else None,
    )
