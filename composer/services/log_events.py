"""Request → event → composition: the one place the logging wire bodies become plugin events
and composer inputs.

The HTTP routes, the MCP tools and the preview endpoint all go through these functions, so a
body logged through any of them is composed the same way. Plugins see (and may change) the
event; everything written to the CRM afterwards — the composed body and the connector's
arguments — is taken from the *prepared* event, never from the raw request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from composer.compose import (
    COMPOSED_FORMATS,
    ComposeRequest,
    SharedSmsRequest,
    UserContext,
    compose_call_log,
    compose_shared_sms,
)
from composer.pipeline.events import CallLogEvent, ContactRef, MessageLogEvent
from composer.pipeline.runner import PluginContext, Prepared
from composer.services.credentials import CrmAccess
from composer.services.identity import js_text
from composer.services.log_requests import CreateCallLogRequest, MessageLogRequest, UpdateCallLogRequest
from composer.services.messages import rm
from composer.services.user_settings import merge_settings
from composer.store.users import UserRecord
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "call_create_event",
    "call_update_event",
    "compose_call_body",
    "compose_request",
    "compose_shared_sms_content",
    "connector_contact_info",
    "contact_number_of",
    "field",
    "log_format_of",
    "message_event",
    "plugin_aborted_message",
    "plugin_context",
    "with_warnings",
]

PLAIN = "text/plain"


def field(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, or None where any level is missing or not an object."""
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def contact_number_of(call_log: Mapping[str, Any]) -> Any:
    """The contact's number: the caller on inbound calls, the callee otherwise."""
    side = "from" if call_log.get("direction") == "Inbound" else "to"
    return field(call_log, side, "phoneNumber")


def _opt_text(value: Any) -> str | None:
    return None if value is None else js_text(value) if not isinstance(value, str) else value


# ------------------------------------------------------------------------- events


def call_create_event(
    body: CreateCallLogRequest, *, platform: str, user_id: str, note: Any, contact_number: Any
) -> CallLogEvent:
    info = body.logInfo
    return CallLogEvent(
        kind="call.create",
        platform=platform,
        user_id=user_id,
        session_id=js_text(info.get("sessionId")),
        call_log=info,
        contact=ContactRef(
            id=js_text(body.contactId),
            name=js_text(body.contactName),
            type=js_text(body.contactType),
            phone_number=js_text(contact_number),
        ),
        note=_opt_text(note),
        subject=_opt_text(info.get("customSubject")),
        result=_opt_text(info.get("result")),
        start_time=info.get("startTime"),
        duration=info["duration"] if "duration" in info else msgspec.UNSET,
        recording_link=_opt_text(field(info, "recording", "link")),
        voicemail_link=_opt_text(body.voicemailLink or field(info, "voicemail", "link")),
        ai_note=_opt_text(body.aiNote),
        transcript=_opt_text(body.transcript),
        ring_sense_transcript=_opt_text(body.ringSenseTranscript),
        ring_sense_summary=_opt_text(body.ringSenseSummary),
        ring_sense_ai_score=body.ringSenseAIScore,
        ring_sense_bulleted_summary=_opt_text(body.ringSenseBulletedSummary),
        ring_sense_link=_opt_text(body.ringSenseLink),
        additional_submission=dict(body.additionalSubmission or {}),
    )


def _update_call_log(body: UpdateCallLogRequest, session_id: str) -> dict[str, Any]:
    """The ``callLog`` the composer reads on update (no contact: it is never re-upserted)."""
    call_log: dict[str, Any] = {"sessionId": session_id}
    for key, value in (
        ("startTime", body.startTime),
        ("result", body.result),
        ("direction", body.direction),
        ("from", body.from_),
        ("to", body.to),
    ):
        if value is not None:
            call_log[key] = value
    if body.duration is not msgspec.UNSET:
        call_log["duration"] = body.duration
    call_log["legs"] = body.legs or []
    return call_log


def call_update_event(body: UpdateCallLogRequest, *, platform: str, user_id: str, session_id: str) -> CallLogEvent:
    return CallLogEvent(
        kind="call.update",
        platform=platform,
        user_id=user_id,
        session_id=session_id,
        call_log=_update_call_log(body, session_id),
        contact=None,
        note=_opt_text(body.note),
        subject=_opt_text(body.subject),
        result=_opt_text(body.result),
        start_time=body.startTime,
        duration=body.duration,
        recording_link=_opt_text(body.recordingLink),
        voicemail_link=_opt_text(body.voicemailLink),
        ai_note=_opt_text(body.aiNote),
        transcript=_opt_text(body.transcript),
        ring_sense_transcript=_opt_text(body.ringSenseTranscript),
        ring_sense_summary=_opt_text(body.ringSenseSummary),
        ring_sense_ai_score=body.ringSenseAIScore,
        ring_sense_bulleted_summary=_opt_text(body.ringSenseBulletedSummary),
        ring_sense_link=_opt_text(body.ringSenseLink),
        additional_submission=dict(body.additionalSubmission or {}),
    )


def message_event(
    body: MessageLogRequest,
    *,
    platform: str,
    user_id: str,
    messages: list[dict[str, Any]],
    contact_number: Any,
) -> MessageLogEvent:
    info = body.logInfo
    return MessageLogEvent(
        platform=platform,
        user_id=user_id,
        conversation_id=js_text(info.get("conversationId")),
        conversation_log_id=js_text(info.get("conversationLogId")),
        contact=ContactRef(
            id=js_text(body.contactId),
            name=js_text(body.contactName),
            type=js_text(body.contactType),
            phone_number=js_text(contact_number),
        ),
        messages=messages,
        correspondents=list(info.get("correspondents") or []),
        additional_submission=dict(body.additionalSubmission or {}),
    )


def connector_contact_info(original_id: Any, contact: ContactRef | None) -> dict[str, Any]:
    """``contactInfo`` for connectors (connectors.md §3), from the prepared event's contact.

    The id keeps the client's type (a number stays a number) unless a plugin changed it.
    """
    if contact is None:
        return {"id": original_id, "phoneNumber": "", "type": "", "name": ""}
    contact_id = original_id if js_text(original_id) == contact.id else contact.id
    return {"id": contact_id, "phoneNumber": contact.phone_number, "type": contact.type, "name": contact.name}


# ------------------------------------------------------------------------- plugins


async def plugin_context(
    rt: Runtime,
    user: UserRecord,
    connector: object | None = None,
    access: CrmAccess | None = None,
    *,
    hashed_extension_id: str = "",
) -> PluginContext:
    """What plugins may use; ``call_connector`` only when a CRM session was prepared.

    Settings are the admin's merged over the user's (spec §8) when plugins are loaded; with
    no plugins the admin row is not read at all.
    """
    call = None
    if connector is not None and access is not None:

        async def call(name: str, /, **kwargs: Any) -> Any:
            return await call_interface(
                connector, name, user=user, authHeader=access.auth_header, proxyConfig=access.proxy_config, **kwargs
            )

    settings = dict(user.userSettings or {})
    if (rt.pipeline.plugins or rt.pipeline.providers) and user.rcAccountId:
        admin = await rt.store.admin.get(rt.hash(user.rcAccountId))
        if admin is not None:
            settings = merge_settings(admin.user_settings, settings)
    return PluginContext(
        platform=user.platform,
        user_id=user.id,
        user_settings=settings,
        call_connector=call,
        rc_account_id=user.rcAccountId or "",
        hashed_extension_id=hashed_extension_id or user.hashedRcExtensionId or "",
        http=rt.http,
    )


def plugin_aborted_message(plugin: str, message: str) -> dict[str, Any]:
    text = f"Nothing was logged: the plugin '{plugin}' stopped this request"
    if message:
        text = f"{text} ({message})"
    return rm(f"{text}.", 5000)


def with_warnings(return_message: Any, prepared: Prepared) -> Any:
    """The connector's returnMessage plus one details section listing plugin warnings."""
    if not prepared.warnings:
        return return_message
    items = [{"id": str(i), "type": "text", "text": text} for i, text in enumerate(prepared.warnings, 1)]
    section = {"title": "Plugin warnings", "items": items}
    if isinstance(return_message, dict):
        message = dict(return_message)
        details = message.get("details")
        message["details"] = [*(details if isinstance(details, list) else []), section]
        return message
    return rm("Logged with plugin warnings", 5000, details=[section])


# ------------------------------------------------------------------------- composition


async def log_format_of(connector: object, user: UserRecord, proxy_config: dict[str, Any] | None) -> str:
    """The connector's ``getLogFormatType``, ``text/plain`` when it has none."""
    if get_interface(connector, "getLogFormatType") is None:
        return PLAIN
    value = await call_interface(
        connector, "getLogFormatType", platform=user.platform, proxyConfig=proxy_config, user=user
    )
    return value if isinstance(value, str) and value else PLAIN


def compose_request(event: CallLogEvent, *, log_format: str, existing_body: str, user: UserRecord) -> ComposeRequest:
    contact = None
    if event.contact is not None:
        contact = {
            "id": event.contact.id,
            "phoneNumber": event.contact.phone_number,
            "type": event.contact.type,
            "name": event.contact.name,
        }
    return ComposeRequest(
        logFormat=log_format,
        existingBody=existing_body,
        callLog=event.call_log,
        contactInfo=contact,
        user=UserContext(timezoneOffset=user.timezoneOffset, userSettings=user.userSettings),
        note=event.note,
        subject=event.subject,
        startTime=event.start_time,
        duration=event.duration,
        result=event.result,
        recordingLink=event.recording_link,
        voicemailLink=event.voicemail_link,
        aiNote=event.ai_note,
        transcript=event.transcript,
        ringSenseTranscript=event.ring_sense_transcript,
        ringSenseSummary=event.ring_sense_summary,
        ringSenseAIScore=event.ring_sense_ai_score,
        ringSenseBulletedSummary=event.ring_sense_bulleted_summary,
        ringSenseLink=event.ring_sense_link,
    )


def compose_call_body(event: CallLogEvent, *, log_format: str, existing_body: str, user: UserRecord) -> str:
    """The body to write (``composedLogDetails``); ``""`` for formats the connector composes itself.

    Raises ``ComposeError`` for input the composer cannot read.
    """
    if log_format not in COMPOSED_FORMATS:
        return ""
    request = compose_request(event, log_format=log_format, existing_body=existing_body, user=user)
    return compose_call_log(request)


def compose_shared_sms_content(
    event: MessageLogEvent, *, log_info: Mapping[str, Any], log_format: str, user: UserRecord
) -> dict[str, Any]:
    """``sharedSMSLogContent`` ({subject, body}) for a shared-SMS conversation, from the prepared event.

    Raises ``ComposeError`` for a conversation the composer cannot read.
    """
    conversation = {**log_info, "messages": event.messages}
    conversation.pop("rcAccessToken", None)
    contact_name = event.contact.name if event.contact is not None else None
    result = compose_shared_sms(
        SharedSmsRequest(
            logFormat=log_format,
            conversation=conversation,
            contactName=contact_name,
            timezoneOffset=user.timezoneOffset,
        )
    )
    content: dict[str, Any] = {"subject": result.subject, "body": result.body}
    if result.creationTime is not None:  # an addition: lets connectors date the activity
        content["creationTime"] = result.creationTime
    return content
