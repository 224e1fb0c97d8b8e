"""Wire types of the composer: attribute names are the reference API's names, exactly.

Decoding is lenient on purpose (unknown fields ignored), because telephony clients send far
more than the composer reads; the types still reject shapes no client sends (a note that is
an object), which surfaces as ``ComposeError``.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = [
    "ComposeRequest",
    "Scalar",
    "SharedSmsLog",
    "SharedSmsRequest",
    "UserContext",
    "decode_compose_request",
    "decode_shared_sms_request",
]

Scalar = str | int | float | bool | None
"""A text input as clients send it; numbers and booleans print as JavaScript prints them."""


class UserContext(msgspec.Struct, kw_only=True):
    """The parts of the user record composition reads."""

    timezoneOffset: Scalar = None
    """``"-05:00"``, ``"+0530"``, hours (``-4``, ``5.5``) or minutes (``330``); see log-format §5.2."""
    userSettings: dict[str, Any] | None = None
    """``{key: {"value": ...}}``; ``null`` or missing values take the item's default."""


class ComposeRequest(msgspec.Struct, kw_only=True):
    """Everything one call-log composition reads (log-format §2.1)."""

    logFormat: str = "text/plain"
    existingBody: str | None = ""
    """The CRM's current body on update (``""`` or ``None`` for a new log)."""
    callLog: dict[str, Any] | None = None
    """``sessionId``, ``direction``, ``from``/``to`` parties, ``startTime`` fallback, ``legs``."""
    contactInfo: dict[str, Any] | None = None
    user: UserContext | None = None
    note: Scalar = None
    subject: Scalar = None
    startTime: Any = None
    """ISO-8601 string, epoch milliseconds (number or digit string), or a ``datetime``."""
    duration: Scalar | msgspec.UnsetType = msgspec.UNSET
    """Seconds. Absent (``UNSET``) writes no Duration item; ``None`` writes ``0 seconds``."""
    result: Scalar = None
    recordingLink: Scalar = None
    voicemailLink: Scalar = None
    aiNote: Scalar = None
    transcript: Scalar = None
    ringSenseTranscript: Scalar = None
    ringSenseSummary: Scalar = None
    ringSenseAIScore: Scalar = None
    ringSenseBulletedSummary: Scalar = None
    ringSenseLink: Scalar = None


class SharedSmsRequest(msgspec.Struct, kw_only=True):
    """A shared-SMS conversation (one with an owner) to render whole (log-format §6.5)."""

    logFormat: str = "text/plain"
    """Unknown formats render as plain text, as the reference does."""
    conversation: dict[str, Any] = msgspec.field(default_factory=dict)
    """The client's ``logInfo``: ``creationTime``, ``messages``, ``entities``, ``owner``."""
    contactName: Scalar = None
    timezoneOffset: Scalar = None


class SharedSmsLog(msgspec.Struct, kw_only=True):
    """The activity's subject and body, and when the conversation started."""

    subject: str
    body: str
    creationTime: str | None = None
    """UTC ``YYYY-MM-DDTHH:MM:SS.mmmZ`` of the conversation's creation, for the activity date;
    ``None`` when the conversation carries no readable time."""


_COMPOSE_DECODER = msgspec.json.Decoder(ComposeRequest, strict=False)
_SHARED_SMS_DECODER = msgspec.json.Decoder(SharedSmsRequest, strict=False)


def decode_compose_request(data: bytes | str) -> ComposeRequest:
    """Decode JSON into a ``ComposeRequest``.

    Raises ``msgspec.DecodeError`` (invalid JSON) or ``msgspec.ValidationError`` (wrong shape).
    """
    return _COMPOSE_DECODER.decode(data)


def decode_shared_sms_request(data: bytes | str) -> SharedSmsRequest:
    """Decode JSON into a ``SharedSmsRequest``; raises as ``decode_compose_request`` does."""
    return _SHARED_SMS_DECODER.decode(data)
