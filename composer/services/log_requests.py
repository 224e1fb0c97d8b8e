"""Wire bodies of the logging routes (http-api.md §10, §11), decoded and checked in one place.

Attribute names are the wire names (``from`` is the one Python keyword, mapped explicitly).
Decoding is lenient, as the reference is: unknown fields are ignored and text fields accept
numbers and booleans (printed as JavaScript prints them). Shapes no client sends (a
``logInfo`` that is not an object, an empty ``sessionId``) are refused with the spec's
ERR400 text in ``returnMessage.message`` and the reason in a ``details`` item; nothing has
been written when that happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from composer.services.errors import ErrorResponse
from composer.services.messages import rm

__all__ = [
    "INVALID_CALL_LOG",
    "INVALID_DISPOSITION",
    "INVALID_MESSAGE_LOG",
    "MISSING_NOTE",
    "CacheNoteRequest",
    "CallDispositionRequest",
    "CreateCallLogRequest",
    "InvalidLogRequest",
    "MessageLogRequest",
    "Text",
    "UpdateCallLogRequest",
    "parse_cache_note",
    "parse_call_disposition",
    "parse_create_call_log",
    "parse_message_log",
    "parse_update_call_log",
]

INVALID_CALL_LOG = "Invalid call log request"
INVALID_DISPOSITION = "Invalid call disposition request"
INVALID_MESSAGE_LOG = "Invalid message log request"
MISSING_NOTE = "Missing sessionId or note"

Text = str | int | float | bool | None
"""A text field as clients send it."""

S = TypeVar("S", bound=msgspec.Struct)


class InvalidLogRequest(ErrorResponse):
    """ERR400 with the spec's text as the message and what was wrong as a detail item."""

    def __init__(self, text: str, reason: str) -> None:
        message = rm(text, 5000)
        if reason:
            message["details"] = [{"title": "Details", "items": [{"id": "1", "type": "text", "text": reason}]}]
        super().__init__(400, {"successful": False, "error": text, "returnMessage": message})
        self.message = text
        self.reason = reason


class _RingSense(msgspec.Struct, kw_only=True):
    ringSenseTranscript: Text = None
    ringSenseSummary: Text = None
    ringSenseAIScore: Any = None  # an object per the contract; printed as the reference prints it
    ringSenseBulletedSummary: Text = None
    ringSenseLink: Text = None


class CreateCallLogRequest(_RingSense, kw_only=True):
    logInfo: dict[str, Any]
    contactId: Any = None
    contactType: Text = None
    contactName: Text = None
    note: Text = None
    aiNote: Text = None
    transcript: Text = None
    additionalSubmission: dict[str, Any] | None = None
    extensionNumber: Any = None
    hashedExtensionId: Any = None
    rcExtensionId: Any = None
    voicemailLink: Text = None
    voicemailMessageId: Text = None


class UpdateCallLogRequest(_RingSense, kw_only=True):
    sessionId: Text = None
    extensionNumber: Any = None
    hashedExtensionId: Any = None
    rcExtensionId: Any = None
    accountId: Text = None
    telephonySessionId: Text = None
    subject: Text = None
    note: Text = None
    startTime: Any = None
    duration: Any = msgspec.UNSET  # absent (no Duration item) differs from null ("0 seconds")
    result: Text = None
    direction: Text = None
    from_: dict[str, Any] | None = msgspec.field(default=None, name="from")
    to: dict[str, Any] | None = None
    legs: list[Any] | None = None
    recordingLink: Text = None
    recordingDownloadLink: Text = None  # may embed a RingCentral token: never logged, never stored
    voicemailLink: Text = None
    voicemailMessageId: Text = None
    aiNote: Text = None
    transcript: Text = None
    additionalSubmission: dict[str, Any] | None = None


class CallDispositionRequest(msgspec.Struct, kw_only=True):
    sessionId: Text = None
    extensionNumber: Any = None
    hashedExtensionId: Any = None
    dispositions: dict[str, Any] | None = None
    additionalSubmission: Any = None  # accepted, ignored (as the reference)


class CacheNoteRequest(msgspec.Struct, kw_only=True):
    sessionId: Text = None
    note: Text = None


class MessageLogRequest(msgspec.Struct, kw_only=True):
    logInfo: dict[str, Any]
    contactId: Any = None
    contactType: Text = None
    contactName: Text = None
    additionalSubmission: dict[str, Any] | None = None


def _convert(body: Any, model: type[S], text: str) -> S:
    if isinstance(body, model):
        return body
    if isinstance(body, msgspec.Struct):
        body = msgspec.to_builtins(body)
    if not isinstance(body, Mapping):
        raise InvalidLogRequest(text, "the body must be a JSON object")
    try:
        return msgspec.convert(dict(body), model, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidLogRequest(text, str(exc)) from None


def _present_text(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool) and str(value) != ""


def parse_create_call_log(body: Any) -> CreateCallLogRequest:
    """Raises ``InvalidLogRequest`` ("Invalid call log request")."""
    request = _convert(body, CreateCallLogRequest, INVALID_CALL_LOG)
    if not _present_text(request.logInfo.get("sessionId")):
        raise InvalidLogRequest(INVALID_CALL_LOG, "logInfo.sessionId is required")
    return request


def parse_update_call_log(body: Any) -> UpdateCallLogRequest:
    """Raises ``InvalidLogRequest`` ("Invalid call log request")."""
    request = _convert(body, UpdateCallLogRequest, INVALID_CALL_LOG)
    if not _present_text(request.sessionId):
        raise InvalidLogRequest(INVALID_CALL_LOG, "sessionId is required")
    return request


def parse_call_disposition(body: Any) -> CallDispositionRequest:
    """Raises ``InvalidLogRequest`` ("Invalid call disposition request")."""
    request = _convert(body, CallDispositionRequest, INVALID_DISPOSITION)
    if not _present_text(request.sessionId):
        raise InvalidLogRequest(INVALID_DISPOSITION, "sessionId is required")
    return request


def parse_cache_note(body: Any) -> CacheNoteRequest:
    """Raises ``InvalidLogRequest`` ("Missing sessionId or note")."""
    try:
        request = _convert(body, CacheNoteRequest, MISSING_NOTE)
    except InvalidLogRequest:
        raise InvalidLogRequest(MISSING_NOTE, "sessionId and note must both be non-empty strings") from None
    if not (isinstance(request.sessionId, str) and request.sessionId and isinstance(request.note, str) and request.note):
        raise InvalidLogRequest(MISSING_NOTE, "sessionId and note must both be non-empty strings")
    return request


def parse_message_log(body: Any) -> MessageLogRequest:
    """Raises ``InvalidLogRequest`` ("Invalid message log request")."""
    request = _convert(body, MessageLogRequest, INVALID_MESSAGE_LOG)
    info = request.logInfo
    messages, correspondents = info.get("messages"), info.get("correspondents")
    if not isinstance(messages, list):
        raise InvalidLogRequest(INVALID_MESSAGE_LOG, "logInfo.messages must be an array")
    if not isinstance(correspondents, list):
        raise InvalidLogRequest(INVALID_MESSAGE_LOG, "logInfo.correspondents must be an array")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not _present_text(message.get("id")):
            raise InvalidLogRequest(INVALID_MESSAGE_LOG, f"logInfo.messages[{index}] must be an object with an id")
    for index, party in enumerate(correspondents):
        if not isinstance(party, dict):
            raise InvalidLogRequest(INVALID_MESSAGE_LOG, f"logInfo.correspondents[{index}] must be an object")
    for key in ("owner", "assignee"):
        if info.get(key) is not None and not isinstance(info.get(key), dict):
            raise InvalidLogRequest(INVALID_MESSAGE_LOG, f"logInfo.{key} must be an object")
    return request
