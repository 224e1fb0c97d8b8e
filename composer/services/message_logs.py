"""Logging SMS, MMS, fax and voicemail conversations (http-api.md §11).

One CRM activity per conversation per day (the client's ``conversationLogId``): the first
message creates it, later ones are appended (``updateMessageLog``), oldest first. Each
message is claimed before the CRM is called and skipped when already claimed or logged, and
the conversation is reserved like a call log, so concurrent identical posts create one
activity and append each message once. Shared-SMS conversations (with an owner) are
re-rendered whole on every post into one activity shared by everyone on the platform.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from composer.compose import ComposeError
from composer.pipeline.events import MessageLogEvent
from composer.pipeline.runner import PluginAborted, PluginContext, Prepared
from composer.services.call_logs import run_after
from composer.services.context import Caller
from composer.services.credentials import CrmAccess, prepare_access
from composer.services.crm_failures import crm_failure
from composer.services.identity import js_text
from composer.services.log_events import (
    compose_shared_sms_content,
    field,
    log_format_of,
    message_event,
    plugin_aborted_message,
    plugin_context,
    with_warnings,
)
from composer.services.log_requests import (
    INVALID_MESSAGE_LOG,
    InvalidLogRequest,
    MessageLogRequest,
    parse_message_log,
)
from composer.services.log_waits import wait_while_pending
from composer.services.message_media import media_fields
from composer.services.messages import database_failed, rm
from composer.services.sessions import connector_for
from composer.store.exceptions import StoreError
from composer.store.message_logs import ConversationReservation, ConversationRow, MessageClaim
from composer.store.users import UserRecord
from connectors.invoke import call_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["create_message_log"]

log = logging.getLogger(__name__)

SHARED_SCOPE = ""


class _StillPending(Exception):
    """Another request is still creating this conversation's activity."""


class _Job:
    """One request's state: who, where, and the connector arguments common to every message."""

    __slots__ = (
        "access",
        "assignee_name",
        "connector",
        "contact_info",
        "context",
        "conversation_id",
        "conversation_log_id",
        "correspondents",
        "hashed_account_id",
        "logged",
        "owner_name",
        "request",
        "rt",
        "scope",
        "user",
    )

    def __init__(self, rt: Runtime, user: UserRecord, connector: object, access: CrmAccess, request: MessageLogRequest) -> None:
        self.rt = rt
        self.user = user
        self.connector = connector
        self.access = access
        self.request = request
        self.contact_info: dict[str, Any] = {}
        self.owner_name: Any = None
        self.assignee_name: Any = None
        self.hashed_account_id = ""
        self.scope = user.id
        self.conversation_id = ""
        self.conversation_log_id = ""
        self.correspondents: list[Any] = []
        self.context: PluginContext | None = None
        self.logged: ConversationRow | None = None  # once known, later messages append without a lookup

    async def call(self, name: str, **kwargs: Any) -> dict[str, Any]:
        result = await call_interface(
            self.connector,
            name,
            user=self.user,
            contactInfo=self.contact_info,
            authHeader=self.access.auth_header,
            additionalSubmission=self.request.additionalSubmission,
            proxyConfig=self.access.proxy_config,
            **kwargs,
        )
        return result if isinstance(result, dict) else {}

    async def conversation(self) -> ConversationRow | None:
        return await self.rt.store.message_logs.get_conversation(
            platform=self.user.platform, scope=self.scope, conversation_log_id=self.conversation_log_id
        )

    async def reserve(self) -> ConversationReservation | ConversationRow:
        return await self.rt.store.message_logs.reserve_conversation(
            platform=self.user.platform,
            scope=self.scope,
            conversation_log_id=self.conversation_log_id,
            conversation_id=self.conversation_id,
            user_id=self.user.id,
        )

    async def release(self, reservation: ConversationReservation) -> None:
        try:
            await self.rt.store.message_logs.release_conversation(reservation)
        except StoreError:
            log.warning("message_log.release_failed platform=%s", self.user.platform)

    async def settled(self, row: ConversationRow) -> ConversationRow | None:
        """Wait for another request's pending conversation; raises _StillPending on timeout."""
        if row.is_logged:
            return row
        settled = await wait_while_pending(self.conversation, row)
        if settled is not None and not settled.is_logged:
            raise _StillPending()
        return settled


def _still_pending(job: _Job) -> dict[str, Any]:
    text = f"Log creation for conversation {job.conversation_log_id} is still in progress. Please try again."
    return {"successful": False, "returnMessage": rm(text, 3000)}


def _is_missing(value: Any) -> bool:
    return value is None or value is False or value in ("", 0)


async def create_message_log(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """POST /messageLog. Raises NotAuthenticated, InvalidLogRequest (ERR400), SessionRevoked (401)."""
    claims = caller.session()
    request = parse_message_log(body)
    info = request.logInfo
    if not info["messages"]:
        return {"successful": False, "returnMessage": rm("No message to log.", 3000)}
    correspondents = info["correspondents"]
    if not correspondents:
        raise InvalidLogRequest(INVALID_MESSAGE_LOG, "logInfo.correspondents must not be empty")
    contact_number = field(correspondents[0], "phoneNumber")
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None or not user.has_credentials:
        return {"successful": False, "returnMessage": rm("Contact not found", 5000)}
    connector = connector_for(rt, user.platform)
    access = await prepare_access(rt, user, connector)
    if _is_missing(request.contactId):
        return {"successful": False, "returnMessage": rm(f"Contact not found for number {js_text(contact_number)}", 5000)}
    job = _Job(rt, user, connector, access, request)
    job.contact_info = {
        "id": request.contactId,
        "phoneNumber": contact_number,
        "type": request.contactType or "",
        "name": request.contactName or "",
    }
    job.owner_name = field(info, "owner", "name")
    job.assignee_name = field(info, "assignee", "name")
    job.hashed_account_id = caller.rc_account_id or rt.hash(info.get("accountId"))
    job.conversation_id = js_text(info.get("conversationId"))
    job.conversation_log_id = js_text(info.get("conversationLogId"))
    job.context = await plugin_context(rt, user, connector, access, hashed_extension_id=caller.rc_extension_id)
    if job.owner_name:
        return await _log_shared(job, contact_number)
    return await _log_messages(job, contact_number)


async def _prepare(job: _Job, event: MessageLogEvent) -> Prepared | dict[str, Any]:
    assert job.context is not None
    try:
        prepared = await job.rt.pipeline.prepare(event, context=job.context)
    except PluginAborted as exc:
        log.warning("plugins.aborted plugin=%s kind=%s", exc.plugin, event.kind)
        return {"successful": False, "returnMessage": plugin_aborted_message(exc.plugin, exc.message)}
    if not isinstance(prepared.event, MessageLogEvent):
        raise TypeError(f"a plugin turned a message event into {type(prepared.event).__name__}")
    return prepared


# =========================================================================== shared SMS


async def _log_shared(job: _Job, contact_number: Any) -> dict[str, Any]:
    user, info = job.user, job.request.logInfo
    job.scope = SHARED_SCOPE
    messages = list(reversed(info["messages"]))
    event = message_event(job.request, platform=user.platform, user_id=user.id, messages=messages, contact_number=contact_number)
    prepared = await _prepare(job, event)
    if isinstance(prepared, dict):
        return prepared
    try:
        log_format = await log_format_of(job.connector, user, job.access.proxy_config)
    except Exception as exc:
        return crm_failure(exc, operation="createMessageLog", platform=user.platform)
    try:
        content = compose_shared_sms_content(prepared.event, log_info=info, log_format=log_format, user=user)  # type: ignore[arg-type]
    except ComposeError as exc:
        raise InvalidLogRequest(INVALID_MESSAGE_LOG, str(exc)) from None
    try:
        outcome = await _write_shared(job, content)
    except _StillPending:
        return _still_pending(job)
    except Exception as exc:
        return crm_failure(exc, operation="createMessageLog", platform=user.platform)
    if outcome is None:
        return database_failed()
    log_ids, return_message = outcome
    answer = {"successful": True, "logIds": log_ids, "returnMessage": with_warnings(return_message, prepared)}
    assert job.context is not None
    await run_after(job.rt, prepared.event, answer, job.context)
    return answer


async def _write_shared(job: _Job, content: dict[str, Any]) -> tuple[list[str], Any] | None:
    """Update the shared activity, or create it; None when the new activity could not be recorded."""
    while True:
        outcome = await job.reserve()
        if isinstance(outcome, ConversationRow):
            row = await job.settled(outcome)
            if row is None:
                continue  # its creator gave up: create it ourselves
            result = await job.call("updateMessageLog", sharedSMSLogContent=content, existingMessageLog=row.view())
            return [], result.get("returnMessage")
        try:
            result = await job.call("createMessageLog", sharedSMSLogContent=content, hashedAccountId=job.hashed_account_id)
        except BaseException:
            await job.release(outcome)
            raise
        log_id = result.get("logId")
        if not log_id:
            await job.release(outcome)
            return [], result.get("returnMessage")
        if not await _finalize_conversation(job, outcome, js_text(log_id)):
            return None
        return [job.conversation_log_id], result.get("returnMessage")


async def _finalize_conversation(job: _Job, reservation: ConversationReservation, log_id: str) -> bool:
    for _ in range(3):
        try:
            if await job.rt.store.message_logs.finalize_conversation(reservation, third_party_log_id=log_id):
                return True
            break
        except StoreError:
            continue
    log.error(
        "MESSAGE_LOG_FINALIZE_FAILED platform=%s conversationLogId=%s thirdPartyLogId=%s",
        job.user.platform,
        job.conversation_log_id,
        log_id,
    )
    return False


# =========================================================================== conversations


async def _group_correspondents(job: _Job) -> list[Any]:
    """For group SMS: each other party's most recent cached contact array (connectors.md §4.4)."""
    found: list[Any] = []
    for party in job.request.logInfo["correspondents"]:
        phone = field(party, "phoneNumber")
        if not isinstance(phone, str) or not phone:
            continue
        cached = await job.rt.store.contacts.latest(platform=job.user.platform, user_id=job.user.id, phone_number=phone)
        if cached and isinstance(cached[0], dict) and cached[0].get("name") != job.request.contactName:
            found.append(cached)
    return found


async def _log_messages(job: _Job, contact_number: Any) -> dict[str, Any]:
    user, info, request = job.user, job.request.logInfo, job.request
    is_group = len(info["correspondents"]) > 1
    suffix = f"-{js_text(request.contactId)}" if is_group else ""
    if is_group:
        job.conversation_log_id += suffix
        job.conversation_id += suffix
        job.correspondents = await _group_correspondents(job)
    oldest_first = list(reversed(info["messages"]))
    remaining = oldest_first
    if job.rt.pipeline.plugins or job.rt.pipeline.providers:
        # Plugins only see messages not logged yet (the per-message claim below is what
        # guarantees "once"; this only spares plugins work and remote calls).
        handled = await job.rt.store.message_logs.handled_ids(
            platform=user.platform, user_id=user.id, message_ids=[js_text(m["id"]) + suffix for m in oldest_first]
        )
        remaining = [m for m in oldest_first if js_text(m["id"]) + suffix not in handled]
    if not remaining:
        return {"successful": True, "logIds": [], "returnMessage": None}
    event = message_event(request, platform=user.platform, user_id=user.id, messages=remaining, contact_number=contact_number)
    prepared = await _prepare(job, event)
    if isinstance(prepared, dict):
        return prepared
    log_ids: list[str] = []
    return_message: Any = None
    for message in prepared.event.messages:  # type: ignore[union-attr]
        claim = await job.rt.store.message_logs.claim_message(
            platform=user.platform,
            user_id=user.id,
            message_id=js_text(message.get("id")) + suffix,
            conversation_id=job.conversation_id,
            conversation_log_id=job.conversation_log_id,
        )
        if claim is None:
            continue  # logged already, or another request is logging it
        try:
            crm_log_id, return_message = await _write_message(job, message)
        except _StillPending:
            await _release_message(job, claim)
            return _still_pending(job)
        except Exception as exc:
            await _release_message(job, claim)
            return crm_failure(exc, operation="createMessageLog", platform=user.platform)
        except BaseException:
            await _release_message(job, claim)
            raise
        if crm_log_id:
            await _finalize_message(job, claim, crm_log_id)
            log_ids.append(js_text(message.get("id")))
        else:
            await _release_message(job, claim)
    answer = {"successful": True, "logIds": log_ids, "returnMessage": with_warnings(return_message, prepared)}
    if log_ids:
        assert job.context is not None
        await run_after(job.rt, prepared.event, answer, job.context)
    return answer


async def _write_message(job: _Job, message: dict[str, Any]) -> tuple[str | None, Any]:
    """Append ``message`` to the conversation's activity, creating it first if needed."""
    media = media_fields(message, job.request.logInfo.get("rcAccessToken"))
    names = {"assigneeName": job.assignee_name, "ownerName": job.owner_name}
    image = {k: media[k] for k in ("imageLink", "imageDownloadLink", "imageContentType", "videoLink")}
    while True:
        outcome = job.logged or await job.reserve()
        if isinstance(outcome, ConversationRow):
            settled = await job.settled(outcome)
            if settled is None:
                continue  # its creator gave up: create it ourselves
            job.logged = settled
            result = await job.call("updateMessageLog", existingMessageLog=settled.view(), message=message, **names, **image)
            return settled.third_party_log_id, result.get("returnMessage")
        try:
            result = await job.call(
                "createMessageLog",
                correspondents=job.correspondents,
                message=message,
                hashedAccountId=job.hashed_account_id,
                **names,
                **media,
            )
        except BaseException:
            await job.release(outcome)
            raise
        log_id = result.get("logId")
        if not log_id:
            await job.release(outcome)
            return None, result.get("returnMessage")
        if not await _finalize_conversation(job, outcome, js_text(log_id)):
            return None, database_failed()["returnMessage"]
        job.logged = ConversationRow(
            platform=outcome.platform,
            scope=outcome.scope,
            conversation_log_id=outcome.conversation_log_id,
            conversation_id=job.conversation_id,
            third_party_log_id=js_text(log_id),
            state="logged",
            reservation_token=None,
            reserved_until=None,
            user_id=job.user.id,
        )
        return js_text(log_id), result.get("returnMessage")


async def _finalize_message(job: _Job, claim: MessageClaim, crm_log_id: str) -> None:
    try:
        await job.rt.store.message_logs.finalize_message(
            claim,
            third_party_log_id=crm_log_id,
            conversation_id=job.conversation_id,
            conversation_log_id=job.conversation_log_id,
        )
    except StoreError:
        # The claim stays pending and blocks a duplicate append until it goes stale.
        log.error("MESSAGE_FINALIZE_FAILED platform=%s thirdPartyLogId=%s", job.user.platform, crm_log_id)


async def _release_message(job: _Job, claim: MessageClaim) -> None:
    try:
        await job.rt.store.message_logs.release_message(claim)
    except StoreError:
        log.warning("message_log.release_failed platform=%s", job.user.platform)
