"""Events in the wire form of the logging routes, for remote plugins.

Remote plugins (the reference's plugin-server protocol) receive ``data`` shaped like the
body of ``POST /callLog`` or ``POST /messageLog`` and answer the same shape back. This is
the one place the snake_case event attributes meet those camelCase names. ``from_wire``
only takes back what a plugin may change (texts, contact, ``logInfo``,
``additionalSubmission``); identifiers (platform, user, session) never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from composer.pipeline.events import ContactRef, LogEvent, MessageLogEvent

__all__ = ["from_wire", "to_wire"]

_CALL_TEXTS = (
    ("note", "note"),
    ("ai_note", "aiNote"),
    ("transcript", "transcript"),
    ("ring_sense_transcript", "ringSenseTranscript"),
    ("ring_sense_summary", "ringSenseSummary"),
    ("ring_sense_bulleted_summary", "ringSenseBulletedSummary"),
    ("ring_sense_link", "ringSenseLink"),
    ("voicemail_link", "voicemailLink"),
)


def _contact_wire(contact: ContactRef | None) -> dict[str, Any]:
    if contact is None:
        return {}
    return {"contactId": contact.id, "contactName": contact.name, "contactType": contact.type}


def to_wire(event: LogEvent) -> dict[str, Any]:
    """The event as the body of the matching logging route."""
    if isinstance(event, MessageLogEvent):
        return {
            "logInfo": {
                "conversationId": event.conversation_id,
                "conversationLogId": event.conversation_log_id,
                "messages": event.messages,
                "correspondents": event.correspondents,
            },
            **_contact_wire(event.contact),
            "additionalSubmission": event.additional_submission,
        }
    data: dict[str, Any] = {"logInfo": {**event.call_log, "sessionId": event.session_id}}
    if event.subject is not None:
        data["logInfo"]["customSubject"] = event.subject
    data.update(_contact_wire(event.contact))
    for attribute, name in _CALL_TEXTS:
        value = getattr(event, attribute)
        if value is not None:
            data[name] = value
    if event.ring_sense_ai_score is not None:
        data["ringSenseAIScore"] = event.ring_sense_ai_score
    data["additionalSubmission"] = event.additional_submission
    return data


def _text(value: Any, default: str | None) -> str | None:
    return value if isinstance(value, str) else default


def _contact_from(data: Mapping[str, Any], contact: ContactRef | None) -> ContactRef | None:
    if contact is None or not any(key in data for key in ("contactId", "contactName", "contactType")):
        return contact
    return msgspec.structs.replace(
        contact,
        id=str(data.get("contactId", contact.id) or ""),
        name=_text(data.get("contactName"), contact.name) or "",
        type=_text(data.get("contactType"), contact.type) or "",
    )


def from_wire(event: LogEvent, data: Any) -> LogEvent:
    """``event`` with what the plugin changed in ``data``; raises ValueError for a non-object."""
    if not isinstance(data, Mapping):
        raise ValueError(f"the plugin answered {type(data).__name__}, not the logging payload object")
    submission = data.get("additionalSubmission")
    submission = dict(submission) if isinstance(submission, Mapping) else event.additional_submission
    info = data.get("logInfo")
    if isinstance(event, MessageLogEvent):
        messages, correspondents = event.messages, event.correspondents
        if isinstance(info, Mapping):
            if isinstance(info.get("messages"), list):
                messages = list(info["messages"])
            if isinstance(info.get("correspondents"), list):
                correspondents = list(info["correspondents"])
        return msgspec.structs.replace(
            event,
            messages=messages,
            correspondents=correspondents,
            contact=_contact_from(data, event.contact),
            additional_submission=submission,
        )
    changes: dict[str, Any] = {"additional_submission": submission, "contact": _contact_from(data, event.contact)}
    for attribute, name in _CALL_TEXTS:
        if name in data:
            changes[attribute] = _text(data[name], getattr(event, attribute))
    if "ringSenseAIScore" in data:
        changes["ring_sense_ai_score"] = data["ringSenseAIScore"]
    if isinstance(info, Mapping):
        call_log = dict(info)
        call_log["sessionId"] = event.call_log.get("sessionId", event.session_id)
        if "customSubject" in call_log and "customSubject" not in event.call_log and call_log["customSubject"] == event.subject:
            del call_log["customSubject"]  # to_wire put it there; the record never had it
        changes["call_log"] = call_log
        if "customSubject" in info:
            changes["subject"] = _text(info["customSubject"], event.subject)
    return msgspec.structs.replace(event, **changes)

