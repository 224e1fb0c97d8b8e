"""Completion of async remote plugin runs: ``POST /plugin/async-callback/{taskId}`` (spec §15.3).

A successful report appends the plugin's note to the call's agent note and writes it through
the normal update path (``update_call_log``: plugins, composition, merge into the CRM body),
so the CRM body is composed exactly as for any other update. That update dispatches no
async plugin again. A run is completed once: it moves ``pending|dispatched -> completing``
atomically, so two concurrent callbacks cannot both append; a failed CRM update puts it
back so the plugin may call again.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from composer.security.jwt import SessionClaims
from composer.services.call_logs import update_call_log
from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.errors import ErrorResponse
from composer.services.plugin_remote import suppress_async_dispatch
from composer.services.sessions import connector_for
from composer.store.remote_plugins import AsyncRun
from composer.store.users import UserRecord
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["complete_async_run"]

log = logging.getLogger(__name__)

_OPEN = ("pending", "dispatched")


def _not_found() -> ErrorResponse:
    return ErrorResponse(404, {"successful": False, "message": "Async task not found"})


async def _current_note(rt: Runtime, user: UserRecord, run: AsyncRun) -> str:
    """The agent note the CRM holds now ("" when it cannot be read)."""
    connector = connector_for(rt, user.platform)
    if get_interface(connector, "getCallLog") is None:
        return ""
    row = await rt.store.call_logs.find(
        platform=run.platform, session_id=run.session_id, extension_number="", hashed_extension_id=run.hashed_extension_id
    )
    if row is None:
        return ""
    access = await prepare_access(rt, user, connector)
    result = await call_interface(
        connector,
        "getCallLog",
        user=user,
        telephonySessionId=row.id,
        callLogId=row.third_party_log_id,
        contactId=row.contact_id,
        authHeader=access.auth_header,
        proxyConfig=access.proxy_config,
    )
    info = result.get("callLogInfo") if isinstance(result, dict) else None
    note = info.get("note") if isinstance(info, dict) else None
    return note if isinstance(note, str) else ""


async def _append_note(rt: Runtime, run: AsyncRun, note: str) -> bool:
    user = await rt.store.users.get(run.user_id, run.platform)
    if user is None:
        return False
    current = await _current_note(rt, user, run)
    if current.rstrip().endswith(note.strip()):
        return True  # an earlier callback already wrote it
    merged = f"{current.rstrip()}\n\n{note.strip()}" if current.strip() else note.strip()
    # The callback has no session JWT: it acts for the run's user, proven by the capability id.
    caller = Caller(
        claims=SessionClaims(id=user.id, platform=user.platform, exp=int(time.time()) + 60), token_state="valid"
    )
    body: dict[str, Any] = {"sessionId": run.session_id, "note": merged}
    if run.hashed_extension_id:
        body["hashedExtensionId"] = run.hashed_extension_id
    token = suppress_async_dispatch.set(True)
    try:
        answer = await update_call_log(rt, caller, body)
    finally:
        suppress_async_dispatch.reset(token)
    return bool(answer.get("successful"))


async def complete_async_run(rt: Runtime, task_id: str, body: Any) -> dict[str, Any]:
    """Raises ErrorResponse: 400 (``successful`` not a bool), 404 (unknown/expired), 500 (CRM update failed)."""
    if not isinstance(body, dict) or not isinstance(body.get("successful"), bool):
        raise ErrorResponse(400, {"successful": False, "message": "successful is required"})
    store = rt.store.remote_plugins
    run = await store.run(task_id)
    if run is None or run.state not in _OPEN:
        raise _not_found()
    if not body["successful"]:
        message = body.get("message")
        if not await store.mark_run(task_id, state="failed", message=str(message or ""), only_from=_OPEN):
            raise _not_found()
        log.info("plugin.remote.async_failed plugin=%s", run.plugin_id)
        return {"successful": True}
    if not await store.mark_run(task_id, state="completing", only_from=_OPEN):
        raise _not_found()
    note = body.get("note")
    if isinstance(note, str) and note.strip():
        try:
            is_written = await _append_note(rt, run, note)
        except Exception as exc:
            log.warning("plugin.remote.callback_update_failed plugin=%s error=%s", run.plugin_id, type(exc).__name__)
            is_written = False
        if not is_written:
            await store.mark_run(task_id, state="dispatched", only_from=("completing",))
            raise ErrorResponse(500, {"successful": False, "message": "Failed to update the call log"})
    await store.delete_run(task_id)
    log.info("plugin.remote.async_done plugin=%s", run.plugin_id)
    return {"successful": True}
