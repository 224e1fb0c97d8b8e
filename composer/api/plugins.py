"""Plugin routes (spec §15.3) and the log previews: thin translations onto the services."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, post
from litestar.params import FromPath, FromQuery

from composer.api.body import read_body, read_struct
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import plugin_callbacks, plugins
from composer.services.errors import BadRequest
from composer.services.log_preview import compose_preview
from composer.services.log_requests import INVALID_CALL_LOG, INVALID_MESSAGE_LOG, InvalidLogRequest

__all__ = ["ROUTES"]


@post("/plugin/register", status_code=200)
async def register(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    body = await read_struct(request, plugins.RegisterRequest, error="Invalid plugin registration")
    return await plugins.register_plugin(rt, caller, body)


@delete("/plugin/unregister", status_code=200)
async def unregister(
    rt: RuntimeDep, caller: CallerDep, pluginId: FromQuery[str | None] = None, rcAccountId: FromQuery[str | None] = None
) -> dict[str, Any]:
    return await plugins.unregister_plugin(rt, caller, plugin_id=pluginId, rc_account_id=rcAccountId)


@get("/plugin/licenseStatus")
async def license_status(
    rt: RuntimeDep, caller: CallerDep, rcAccountId: FromQuery[str | None] = None, pluginId: FromQuery[str | None] = None
) -> Any:
    return await plugins.license_status(rt, caller, rc_account_id=rcAccountId, plugin_id=pluginId)


@post("/plugin/async-callback/{task_id:str}", status_code=200)
async def async_callback(request: Request[Any, Any, Any], rt: RuntimeDep, task_id: FromPath[str]) -> dict[str, Any]:
    try:
        body = await read_body(request, error="Invalid callback")
    except BadRequest:
        body = None  # unreadable JSON reports like a missing `successful`
    return await plugin_callbacks.complete_async_run(rt, task_id, body)


async def _log_body(request: Request[Any, Any, Any], text: str) -> Any:
    try:
        return await read_body(request, error=text)
    except BadRequest as exc:
        raise InvalidLogRequest(text, exc.message.removeprefix(f"{text}: ")) from None


@post("/callLog/preview", status_code=200)
async def preview_call_log(
    request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep, kind: FromQuery[str] = "call.create"
) -> dict[str, Any]:
    caller.session()
    if kind not in ("call.create", "call.update"):
        raise BadRequest("kind must be call.create or call.update")
    return await compose_preview(rt, caller, await _log_body(request, INVALID_CALL_LOG), kind)


@post("/messageLog/preview", status_code=200)
async def preview_message_log(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    return await compose_preview(rt, caller, await _log_body(request, INVALID_MESSAGE_LOG), "message.create")


ROUTES = [register, unregister, license_status, async_callback, preview_call_log, preview_message_log]
