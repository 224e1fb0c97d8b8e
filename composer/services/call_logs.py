"""Creating and updating call logs (http-api.md §10.3, §10.4): one CRM activity per call.

Create: the (session, extension identity) row is reserved *before* the CRM is called, so
concurrent or repeated posts for one call reach the CRM once; the others get the duplicate
answer. Every way out of a create that did not produce an activity releases the
reservation (a retry can then proceed); a create that produced one finalises it, retried,
and if even that fails the reservation stays and the CRM id is logged for reconciliation.

Update: the CRM's current body is read back (``getCallLog``) and the update is merged into
it by the composer, so what people edited in the CRM survives.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import msgspec

from composer.compose import COMPOSED_FORMATS, ComposeError
from composer.pipeline.events import CallLogEvent
from composer.pipeline.runner import PluginAborted, PluginContext, Prepared
from composer.services.call_log_lookup import (
    cache_note,
    get_call_logs,
    read_crm_call_log,
    upsert_call_disposition,
)
from composer.services.context import Caller
from composer.services.credentials import CrmAccess, prepare_access
from composer.services.crm_failures import crm_failure
from composer.services.errors import ServiceError
from composer.services.identity import CallIdentity, call_identity, js_text
from composer.services.log_events import (
    call_create_event,
    call_update_event,
    compose_call_body,
    connector_contact_info,
    contact_number_of,
    field,
    log_format_of,
    plugin_aborted_message,
    plugin_context,
    with_warnings,
)
from composer.services.log_requests import (
    INVALID_CALL_LOG,
    CreateCallLogRequest,
    InvalidLogRequest,
    UpdateCallLogRequest,
    parse_create_call_log,
    parse_update_call_log,
)
from composer.services.log_waits import settled_call_row, still_in_progress
from composer.services.messages import database_failed, rm
from composer.services.sessions import connector_for
from composer.store.call_logs import CallLogRow, Reservation
from composer.store.exceptions import StoreError
from composer.store.users import UserRecord
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "cache_note",
    "create_call_log",
    "get_call_logs",
    "update_call_log",
    "upsert_call_disposition",
]

log = logging.getLogger(__name__)

FINALIZE_ATTEMPTS = 3


def _compact(answer: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values, as the reference's JSON does for ``undefined``."""
    return {k: v for k, v in answer.items() if v is not None}


def _is_missing_contact(contact_id: Any) -> bool:
    return contact_id is None or contact_id is False or contact_id in ("", 0, "0")


async def _release(rt: Runtime, reservation: Reservation) -> None:
    try:
        await rt.store.call_logs.release(reservation)
    except StoreError:
        # The reservation expires on its own; a retry after that proceeds.
        log.warning("call_log.release_failed platform=%s", reservation.platform)


async def _finalize(rt: Runtime, reservation: Reservation, **values: str) -> bool:
    for attempt in range(1, FINALIZE_ATTEMPTS + 1):
        try:
            return await rt.store.call_logs.finalize(reservation, **values)
        except StoreError:
            log.warning("call_log.finalize_retry attempt=%d platform=%s", attempt, reservation.platform)
    return False


async def run_after(rt: Runtime, event: Any, result: dict[str, Any], context: PluginContext) -> None:
    """Hand the written event to SIDE_EFFECT plugins; their failures never change the answer."""
    try:
        await rt.pipeline.after(event, result=result, context=context)
    except Exception:
        log.warning("plugins.after.failed kind=%s platform=%s", getattr(event, "kind", ""), context.platform, exc_info=True)


async def _prepare(rt: Runtime, event: CallLogEvent, context: PluginContext) -> Prepared | dict[str, Any]:
    """The prepared event, or the answer to send when a plugin aborted."""
    try:
        prepared = await rt.pipeline.prepare(event, context=context)
    except PluginAborted as exc:
        log.warning("plugins.aborted plugin=%s kind=%s", exc.plugin, event.kind)
        return {"successful": False, "returnMessage": plugin_aborted_message(exc.plugin, exc.message)}
    if not isinstance(prepared.event, CallLogEvent):
        raise TypeError(f"a plugin turned a {event.kind} event into {type(prepared.event).__name__}")
    return prepared


def _compose(event: CallLogEvent, *, log_format: str, existing_body: str, user: UserRecord) -> str:
    try:
        return compose_call_body(event, log_format=log_format, existing_body=existing_body, user=user)
    except ComposeError as exc:
        raise InvalidLogRequest(INVALID_CALL_LOG, str(exc)) from None


# =========================================================================== create


async def create_call_log(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """POST /callLog. Raises NotAuthenticated, InvalidLogRequest (ERR400), SessionRevoked (401)."""
    claims = caller.session()
    request = parse_create_call_log(body)
    info = request.logInfo
    session_id = js_text(info.get("sessionId"))
    identity = call_identity(
        extension_number=request.extensionNumber,
        hashed_extension_id=request.hashedExtensionId,
        rc_extension_id=request.rcExtensionId,
        nested=info,
        hasher=rt.hash,
    )
    outcome = await rt.store.call_logs.reserve(
        platform=claims.platform,
        session_id=session_id,
        extension_number=identity.extension_number,
        hashed_extension_id=identity.hashed_extension_id,
    )
    if isinstance(outcome, CallLogRow):
        return {"successful": False, "returnMessage": rm(f"Existing log for session {session_id}", 3000)}
    keep = False
    try:
        answer, keep = await _create_reserved(rt, caller, request, outcome, identity)
    finally:
        if not keep:
            await _release(rt, outcome)
    return answer


async def cached_note(rt: Runtime, caller: Caller, session_id: str, identity: CallIdentity) -> str | None:
    """The note cached for a server-side (SSCL) create, if any (§10.7)."""
    if not (caller.is_sscl and rt.settings.use_cache):
        return None
    note = await rt.store.notes.get(session_id=session_id, hashed_extension_id=identity.hashed_extension_id)
    if not note and identity.hashed_extension_id:
        note = await rt.store.notes.get(session_id=session_id, hashed_extension_id="")
    return note or None


async def _create_reserved(
    rt: Runtime, caller: Caller, request: CreateCallLogRequest, reservation: Reservation, identity: CallIdentity
) -> tuple[dict[str, Any], bool]:
    """The create after the reservation; the flag says whether the reservation must be kept."""
    claims = caller.session()
    info = request.logInfo
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None or not user.has_credentials:
        return {"successful": False, "returnMessage": rm("User not found", 5000)}, False
    note: Any = await cached_note(rt, caller, reservation.session_id, identity) or request.note
    connector = connector_for(rt, user.platform)
    access = await prepare_access(rt, user, connector)
    contact_number = contact_number_of(info)
    if _is_missing_contact(request.contactId):
        return {"successful": False, "returnMessage": rm(f"Contact not found for number {js_text(contact_number)}", 5000)}, False
    event = call_create_event(
        request, platform=user.platform, user_id=user.id, note=note, contact_number=contact_number
    )
    context = await plugin_context(rt, user, connector, access, hashed_extension_id=identity.hashed_extension_id)
    prepared = await _prepare(rt, event, context)
    if isinstance(prepared, dict):
        return prepared, False
    event = prepared.event  # type: ignore[assignment]
    try:
        log_format = await log_format_of(connector, user, access.proxy_config)
    except Exception as exc:
        return crm_failure(exc, operation="createCallLog", platform=user.platform), False
    composed = _compose(event, log_format=log_format, existing_body="", user=user)
    try:
        result = await _call_create(rt, caller, connector, user, access, request, event, composed)
    except Exception as exc:
        return crm_failure(exc, operation="createCallLog", platform=user.platform), False
    log_id = result.get("logId")
    if not log_id:
        return {"successful": False, "returnMessage": result.get("returnMessage")}, False
    is_saved = await _finalize(
        rt,
        reservation,
        third_party_log_id=js_text(log_id),
        user_id=user.id,
        contact_id=js_text(request.contactId),
        telephony_id=js_text(info.get("telephonySessionId") or info.get("id")),
    )
    if not is_saved:
        log.error(
            "CALL_LOG_FINALIZE_FAILED platform=%s sessionId=%s thirdPartyLogId=%s",
            user.platform,
            reservation.session_id,
            js_text(log_id),
        )
        return database_failed(), True
    log.info("call_log.created platform=%s format=%s", user.platform, log_format)
    answer = _compact(
        {"successful": True, "logId": log_id, "returnMessage": with_warnings(result.get("returnMessage"), prepared)}
    )
    await run_after(rt, event, answer, context)
    return answer, True


async def _call_create(
    rt: Runtime,
    caller: Caller,
    connector: object,
    user: UserRecord,
    access: CrmAccess,
    request: CreateCallLogRequest,
    event: CallLogEvent,
    composed: str,
) -> dict[str, Any]:
    info = event.call_log
    result = await call_interface(
        connector,
        "createCallLog",
        user=user,
        contactInfo=connector_contact_info(request.contactId, event.contact),
        authHeader=access.auth_header,
        callLog=info,
        note=event.note,
        additionalSubmission=event.additional_submission,
        aiNote=event.ai_note,
        transcript=event.transcript,
        voicemailLink=event.voicemail_link,
        voicemailMessageId=request.voicemailMessageId or field(info, "voicemail", "messageId"),
        ringSenseTranscript=event.ring_sense_transcript,
        ringSenseSummary=event.ring_sense_summary,
        ringSenseAIScore=event.ring_sense_ai_score,
        ringSenseBulletedSummary=event.ring_sense_bulleted_summary,
        ringSenseLink=event.ring_sense_link,
        composedLogDetails=composed,
        hashedAccountId=caller.rc_account_id or rt.hash(info.get("accountId")),
        isFromSSCL=caller.is_sscl,
        proxyConfig=access.proxy_config,
    )
    return result if isinstance(result, dict) else {}


# =========================================================================== update


async def update_call_log(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """PATCH /callLog. Raises NotAuthenticated, InvalidLogRequest (ERR400), SessionRevoked (401)."""
    claims = caller.session()
    request = parse_update_call_log(body)
    session_id = js_text(request.sessionId)
    identity = call_identity(
        extension_number=request.extensionNumber,
        hashed_extension_id=request.hashedExtensionId,
        rc_extension_id=request.rcExtensionId,
        hasher=rt.hash,
    )
    row = await settled_call_row(rt.store.call_logs, platform=claims.platform, session_id=session_id, identity=identity)
    if row is None:
        return {"successful": False}
    if not row.is_logged:
        return still_in_progress(session_id)
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None:
        return {"successful": False}
    connector = connector_for(rt, user.platform)
    access = await prepare_access(rt, user, connector)
    event = call_update_event(request, platform=user.platform, user_id=user.id, session_id=row.session_id)
    context = await plugin_context(rt, user, connector, access, hashed_extension_id=identity.hashed_extension_id)
    prepared = await _prepare(rt, event, context)
    if isinstance(prepared, dict):
        return prepared
    event = prepared.event  # type: ignore[assignment]
    try:
        log_format = await log_format_of(connector, user, access.proxy_config)
    except Exception as exc:
        return crm_failure(exc, operation="updateCallLog", platform=user.platform)
    existing_body, existing_details = "", None
    if log_format in COMPOSED_FORMATS:
        existing_body, existing_details = await _current_body(connector, user, access, row)
    composed = _compose(event, log_format=log_format, existing_body=existing_body, user=user)
    try:
        result = await _call_update(rt, caller, connector, user, access, request, event, row, composed, existing_details)
    except Exception as exc:
        return crm_failure(exc, operation="updateCallLog", platform=user.platform)
    answer = _compact(
        {
            "successful": True,
            "logId": row.third_party_log_id,
            "updatedNote": result.get("updatedNote"),
            "returnMessage": with_warnings(result.get("returnMessage"), prepared),
        }
    )
    await run_after(rt, event, answer, context)
    return answer


async def _current_body(
    connector: object, user: UserRecord, access: CrmAccess, row: CallLogRow
) -> tuple[str, Any]:
    """The CRM's body to merge into and its raw record; ``("", None)`` if it cannot be read."""
    if get_interface(connector, "getCallLog") is None:
        return "", None
    try:
        result = await read_crm_call_log(connector, user, access, row)
    except ServiceError:
        raise
    except Exception as exc:
        log.warning("call_log.read_failed platform=%s error=%s", user.platform, type(exc).__name__)
        return "", None
    info = field(result, "callLogInfo")
    if not isinstance(info, dict):
        return "", None
    body = info.get("fullBody") or info.get("note") or ""
    return (body if isinstance(body, str) else js_text(body)), info.get("fullLogResponse")


async def _call_update(
    rt: Runtime,
    caller: Caller,
    connector: object,
    user: UserRecord,
    access: CrmAccess,
    request: UpdateCallLogRequest,
    event: CallLogEvent,
    row: CallLogRow,
    composed: str,
    existing_details: Any,
) -> dict[str, Any]:
    duration = None if event.duration is msgspec.UNSET else event.duration
    result = await call_interface(
        connector,
        "updateCallLog",
        user=user,
        existingCallLog=row.view(),
        authHeader=access.auth_header,
        recordingLink=event.recording_link,
        recordingDownloadLink=request.recordingDownloadLink,
        voicemailLink=event.voicemail_link,
        voicemailMessageId=request.voicemailMessageId,
        subject=event.subject,
        note=event.note,
        startTime=event.start_time,
        duration=duration,
        result=event.result,
        aiNote=event.ai_note,
        transcript=event.transcript,
        legs=request.legs or [],
        ringSenseTranscript=event.ring_sense_transcript,
        ringSenseSummary=event.ring_sense_summary,
        ringSenseAIScore=event.ring_sense_ai_score,
        ringSenseBulletedSummary=event.ring_sense_bulleted_summary,
        ringSenseLink=event.ring_sense_link,
        additionalSubmission=event.additional_submission,
        composedLogDetails=composed,
        existingCallLogDetails=existing_details,
        hashedAccountId=caller.rc_account_id or rt.hash(request.accountId),
        isFromSSCL=caller.is_sscl,
        proxyConfig=access.proxy_config,
    )
    return result if isinstance(result, dict) else {}
