"""What a logging request would write, without writing it: the preview behind
``POST /callLog/preview`` and the MCP preview tool.

The request goes through the same decoding, event building, plugins (ENRICH and TRANSFORM;
they get no CRM access here) and composition as a real create or update. Nothing is
reserved, no connector interface that talks to the CRM is called, nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import msgspec

from composer.compose import ComposeError
from composer.pipeline.events import CallLogEvent, LogEvent, MessageLogEvent
from composer.pipeline.runner import PluginAborted
from composer.services.context import Caller
from composer.services.crm_failures import crm_failure
from composer.services.errors import BadRequest
from composer.services.identity import call_identity, js_text
from composer.services.log_events import (
    call_create_event,
    call_update_event,
    compose_call_body,
    compose_shared_sms_content,
    contact_number_of,
    field,
    log_format_of,
    message_event,
    plugin_aborted_message,
    plugin_context,
)
from composer.services.log_requests import (
    INVALID_CALL_LOG,
    INVALID_MESSAGE_LOG,
    InvalidLogRequest,
    parse_create_call_log,
    parse_message_log,
    parse_update_call_log,
)
from composer.services.messages import rm
from composer.services.sessions import connector_for
from composer.store.users import UserRecord

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["PREVIEW_KINDS", "PreviewKind", "compose_preview"]

PreviewKind = Literal["call.create", "call.update", "message.create"]
PREVIEW_KINDS: tuple[str, ...] = ("call.create", "call.update", "message.create")


async def _proxy_config(rt: Runtime, user: UserRecord) -> dict[str, Any] | None:
    proxy_id = (user.platformAdditionalInfo or {}).get("proxyId")
    return await rt.load_proxy_config(str(proxy_id)) if proxy_id else None


async def _event(
    rt: Runtime, caller: Caller, user: UserRecord, body: Any, kind: str
) -> tuple[LogEvent, str, dict[str, Any] | None]:
    """The unprepared event, the body to compose onto and (messages) the client's ``logInfo``."""
    if kind == "call.create":
        create = parse_create_call_log(body)
        info = create.logInfo
        note: Any = create.note
        if caller.is_sscl and rt.settings.use_cache:
            identity = call_identity(
                extension_number=create.extensionNumber,
                hashed_extension_id=create.hashedExtensionId,
                rc_extension_id=create.rcExtensionId,
                nested=info,
                hasher=rt.hash,
            )
            session_id = js_text(info.get("sessionId"))
            note = (
                await rt.store.notes.get(session_id=session_id, hashed_extension_id=identity.hashed_extension_id)
                or note
            )
        event = call_create_event(
            create, platform=user.platform, user_id=user.id, note=note, contact_number=contact_number_of(info)
        )
        return event, "", None
    if kind == "call.update":
        update = parse_update_call_log(body)
        existing = field(body, "existingBody") if isinstance(body, dict) else None
        event = call_update_event(update, platform=user.platform, user_id=user.id, session_id=js_text(update.sessionId))
        return event, existing if isinstance(existing, str) else "", None
    if kind == "message.create":
        request = parse_message_log(body)
        info = request.logInfo
        correspondents = info["correspondents"]
        number = field(correspondents[0], "phoneNumber") if correspondents else None
        messages = list(reversed(info["messages"]))
        message = message_event(request, platform=user.platform, user_id=user.id, messages=messages, contact_number=number)
        return message, "", info
    raise BadRequest(f"Unknown preview kind: {kind}")


async def compose_preview(rt: Runtime, caller: Caller, body: Any, kind: str) -> dict[str, Any]:
    """``{successful, format, body, plugins, warnings, event}`` for a create/update/message body.

    ``kind`` is ``call.create``, ``call.update`` (``existingBody`` in the body is the CRM body
    to merge into; ``""`` otherwise) or ``message.create`` (``body`` is the shared-SMS body for
    conversations with an owner, ``""`` otherwise: connectors write message bodies).
    Raises NotAuthenticated, BadRequest (unknown kind), InvalidLogRequest (malformed body).
    """
    claims = caller.session()
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None:
        return {"successful": False, "returnMessage": rm("User not found", 5000)}
    event, existing_body, log_info = await _event(rt, caller, user, body, kind)
    connector = connector_for(rt, user.platform)
    try:
        log_format = await log_format_of(connector, user, await _proxy_config(rt, user))
    except Exception as exc:
        return crm_failure(exc, operation="getLogFormatType", platform=user.platform)
    try:
        prepared = await rt.pipeline.prepare(event, context=await plugin_context(rt, user))
    except PluginAborted as exc:
        return {"successful": False, "returnMessage": plugin_aborted_message(exc.plugin, exc.message), "format": log_format}
    composed = ""
    try:
        if isinstance(prepared.event, CallLogEvent):
            composed = compose_call_body(prepared.event, log_format=log_format, existing_body=existing_body, user=user)
        elif isinstance(prepared.event, MessageLogEvent) and log_info and field(log_info, "owner", "name"):
            content = compose_shared_sms_content(prepared.event, log_info=log_info, log_format=log_format, user=user)
            composed = content["body"]
    except ComposeError as exc:
        raise InvalidLogRequest(INVALID_MESSAGE_LOG if kind == "message.create" else INVALID_CALL_LOG, str(exc)) from None
    return {
        "successful": True,
        "format": log_format,
        "body": composed,
        "plugins": list(prepared.applied),
        "warnings": list(prepared.warnings),
        "event": msgspec.to_builtins(prepared.event),
    }
