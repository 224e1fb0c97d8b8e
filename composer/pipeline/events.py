"""The typed events plugins see.

An event carries what will be composed and written for one logging operation. ENRICH and
TRANSFORM plugins return a changed copy (``msgspec.structs.replace``) or None (unchanged);
SIDE_EFFECT plugins receive the final event and the CRM result and change nothing.
Attributes are snake_case; ``to_wire``/``from_wire`` convert to the HTTP API's camelCase
field names in one place (remote plugins speak the wire form).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

__all__ = ["CallLogEvent", "ContactRef", "EventKind", "LogEvent", "MessageLogEvent"]

EventKind = Literal["call.create", "call.update", "message.create"]


class ContactRef(msgspec.Struct, kw_only=True, frozen=True):
    id: str = ""
    name: str = ""
    type: str = ""
    phone_number: str = ""
    company: str = ""
    owner: str = ""


class CallLogEvent(msgspec.Struct, kw_only=True, frozen=True):
    kind: Literal["call.create", "call.update"]
    platform: str
    user_id: str
    session_id: str
    call_log: dict[str, Any] = msgspec.field(default_factory=dict)  # the RingCentral call record (logInfo)
    contact: ContactRef | None = None
    note: str | None = None
    subject: str | None = None
    result: str | None = None
    start_time: str | int | None = None
    duration: int | float | str | msgspec.UnsetType | None = msgspec.UNSET
    recording_link: str | None = None
    voicemail_link: str | None = None
    ai_note: str | None = None
    transcript: str | None = None
    ring_sense_transcript: str | None = None
    ring_sense_summary: str | None = None
    ring_sense_ai_score: str | int | float | None = None
    ring_sense_bulleted_summary: str | None = None
    ring_sense_link: str | None = None
    additional_submission: dict[str, Any] = msgspec.field(default_factory=dict)
    extras: dict[str, Any] = msgspec.field(default_factory=dict)  # free-form data plugins pass along


class MessageLogEvent(msgspec.Struct, kw_only=True, frozen=True):
    kind: Literal["message.create"] = "message.create"
    platform: str
    user_id: str
    conversation_id: str = ""
    conversation_log_id: str = ""
    contact: ContactRef | None = None
    messages: list[dict[str, Any]] = msgspec.field(default_factory=list)  # RingCentral message records
    correspondents: list[dict[str, Any]] = msgspec.field(default_factory=list)
    additional_submission: dict[str, Any] = msgspec.field(default_factory=dict)
    extras: dict[str, Any] = msgspec.field(default_factory=dict)


LogEvent = CallLogEvent | MessageLogEvent
