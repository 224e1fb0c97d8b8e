"""The typed events plugins see.

An event carries what will be composed and written for one logging operation. ENRICH and
TRANSFORM plugins return a changed copy (``msgspec.structs.replace``) or None (unchanged);
SIDE_EFFECT plugins receive the final event and the CRM result and change nothing.
Attributes are snake_case; ``composer.pipeline.wire`` converts to the HTTP API's camelCase
field names in one place (remote plugins speak the wire form).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

__all__ = [
    "EVENT_KINDS",
    "CallLogEvent",
    "ContactRef",
    "EventKind",
    "LogEvent",
    "LogResult",
    "MessageLogEvent",
]

EventKind = Literal["call.create", "call.update", "message.create"]
EVENT_KINDS: tuple[EventKind, ...] = ("call.create", "call.update", "message.create")


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
    session_id: str  # the RingCentral telephony session; one session is one CRM activity
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


class LogResult(msgspec.Struct, kw_only=True, frozen=True):
    """What the CRM write answered, as SIDE_EFFECT plugins see it (read-only).

    ``data`` is the whole answer the logging route returned (wire names, e.g. ``logId``,
    ``returnMessage``); each side-effect task decodes its own copy, so nothing a plugin does
    to it is seen by another plugin or by the client.
    """

    successful: bool = True
    log_id: str = ""  # the CRM activity id, "" when the CRM returned none
    message: str = ""  # returnMessage.message, if any
    data: dict[str, Any] = msgspec.field(default_factory=dict)

    @classmethod
    def from_answer(cls, answer: Any) -> LogResult:
        """Build from the logging service's answer (a dict or Struct with wire names)."""
        if isinstance(answer, LogResult):
            return answer
        if isinstance(answer, msgspec.Struct):
            answer = msgspec.to_builtins(answer)
        if not isinstance(answer, dict):
            return cls(successful=False)
        data = msgspec.json.decode(msgspec.json.encode(answer))  # a private, JSON-safe copy
        log_id = data.get("logId")
        message = data.get("returnMessage")
        return cls(
            successful=bool(data.get("successful", True)),
            log_id="" if log_id is None else str(log_id),
            message=str(message.get("message", "")) if isinstance(message, dict) else "",
            data=data,
        )
