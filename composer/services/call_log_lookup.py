"""Reading call logs, dispositions and the SSCL note cache (http-api.md §10.5–§10.7)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.crm_failures import crm_failure
from composer.services.identity import call_identity, js_text
from composer.services.log_requests import parse_cache_note, parse_call_disposition
from composer.services.log_waits import settled_call_row, still_in_progress
from composer.services.messages import database_failed, rm
from composer.services.sessions import connector_for
from composer.store.exceptions import StoreError
from connectors.invoke import call_interface

if TYPE_CHECKING:
    from composer.services.credentials import CrmAccess
    from composer.services.runtime import Runtime
    from composer.store.call_logs import CallLogRow
    from composer.store.users import UserRecord

__all__ = ["MAX_SESSION_IDS", "cache_note", "get_call_logs", "read_crm_call_log", "upsert_call_disposition"]

log = logging.getLogger(__name__)

MAX_SESSION_IDS = 5


async def read_crm_call_log(connector: object, user: UserRecord, access: CrmAccess, row: CallLogRow) -> Any:
    """The connector's ``getCallLog`` for a logged row (its answer as builtins; raises what it raises)."""
    return await call_interface(
        connector,
        "getCallLog",
        user=user,
        telephonySessionId=row.id,
        callLogId=row.third_party_log_id,
        contactId=row.contact_id,
        authHeader=access.auth_header,
        proxyConfig=access.proxy_config,
    )


async def get_call_logs(
    rt: Runtime,
    caller: Caller,
    *,
    session_ids: str | None,
    extension_number: str | None = None,
    hashed_extension_id: str | None = None,
    require_details: bool = False,
) -> dict[str, Any]:
    """GET /callLog: up to five sessions, in request order. Raises NotAuthenticated, SessionRevoked."""
    claims = caller.session()
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None or not session_ids:
        return {"successful": False, "logs": []}
    ids = session_ids.split(",")[:MAX_SESSION_IDS]
    identity = call_identity(extension_number=extension_number, hashed_extension_id=hashed_extension_id, hasher=rt.hash)
    connector = access = None
    if require_details:
        connector = connector_for(rt, user.platform)
        access = await prepare_access(rt, user, connector)
    wanted = [i for i in ids if not (require_details and i in ("", "0"))]
    rows = await rt.store.call_logs.find_logged(
        platform=claims.platform,
        session_ids=wanted,
        extension_number=identity.extension_number,
        hashed_extension_id=identity.hashed_extension_id,
    )
    logs: list[dict[str, Any]] = []
    return_message: Any = None
    for session_id in ids:
        row = rows.get(session_id) if session_id in wanted else None
        if row is None:
            logs.append({"sessionId": session_id, "matched": False})
            continue
        entry: dict[str, Any] = {"sessionId": row.session_id, "matched": True, "logId": row.third_party_log_id}
        if connector is not None and access is not None:
            try:
                result = await read_crm_call_log(connector, user, access, row)
            except Exception as exc:
                return {**crm_failure(exc, operation="getCallLog", platform=user.platform), "logs": []}
            result = result if isinstance(result, dict) else {}
            entry["logData"] = result.get("callLogInfo")
            return_message = result.get("returnMessage") or return_message
        logs.append(entry)
    return {"successful": True, "logs": logs, "returnMessage": return_message}


async def upsert_call_disposition(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """PUT /callDisposition. Raises InvalidJwt/NotAuthenticated, InvalidLogRequest, SessionRevoked."""
    claims = caller.session(bad_jwt_variant=True)
    request = parse_call_disposition(body)
    session_id = js_text(request.sessionId)
    identity = call_identity(
        extension_number=request.extensionNumber, hashed_extension_id=request.hashedExtensionId, hasher=rt.hash
    )
    row = await settled_call_row(rt.store.call_logs, platform=claims.platform, session_id=session_id, identity=identity)
    if row is None:
        return {"successful": False, "returnMessage": rm("Cannot find log", 3000)}
    if not row.is_logged:
        return still_in_progress(session_id)
    user = await rt.store.users.get(claims.id, claims.platform)
    if user is None:
        return {"successful": False, "returnMessage": rm("Cannot find user", 3000)}
    connector = connector_for(rt, user.platform)
    access = await prepare_access(rt, user, connector)
    try:
        result = await call_interface(
            connector,
            "upsertCallDisposition",
            user=user,
            existingCallLog=row.view(),
            authHeader=access.auth_header,
            dispositions=request.dispositions or {},
            proxyConfig=access.proxy_config,
        )
    except Exception as exc:
        return crm_failure(exc, operation="upsertCallDisposition", platform=user.platform)
    result = result if isinstance(result, dict) else {}
    return {"successful": bool(result.get("logId")), "returnMessage": result.get("returnMessage")}


async def cache_note(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """POST /callLog/cacheNote: keep a note for an hour for the server-side create to use.

    Scoped by (sessionId, hashed extension): header ``rc-extension-id``, else the user's
    stored hash, else ``""``. Raises NotAuthenticated, InvalidLogRequest.
    """
    claims = caller.session()
    request = parse_cache_note(body)
    try:
        hashed = caller.rc_extension_id
        if not hashed:
            user = await rt.store.users.get(claims.id, claims.platform)
            hashed = user.hashedRcExtensionId if user is not None else ""
        await rt.store.notes.put(session_id=str(request.sessionId), hashed_extension_id=hashed or "", note=str(request.note))
    except StoreError:
        log.error("note_cache.save_failed")
        return database_failed()
    return {"successful": True, "returnMessage": "Note cache saved"}
