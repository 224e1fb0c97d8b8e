"""Call-log routes (http-api.md §10): thin translations onto composer.services.call_logs."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch, post, put
from litestar.params import FromQuery

from composer.api.body import read_body
from composer.api.deps import CallerDep, RuntimeDep, caller_of, runtime_of
from composer.services import call_logs
from composer.services.errors import BadRequest
from composer.services.log_requests import (
    INVALID_CALL_LOG,
    INVALID_DISPOSITION,
    MISSING_NOTE,
    InvalidLogRequest,
)

__all__ = ["ROUTES", "read_log_body"]


async def read_log_body(request: Request[Any, Any, Any], text: str) -> Any:
    """The decoded body; unreadable JSON is ERR400 with ``text`` as the message and the reason as a detail."""
    try:
        return await read_body(request, error=text)
    except BadRequest as exc:
        raise InvalidLogRequest(text, exc.message.removeprefix(f"{text}: ")) from None


@post("/callLog", status_code=200)
async def create_call_log(request: Request[Any, Any, Any]) -> dict[str, Any]:
    rt, caller = runtime_of(request), caller_of(request)
    caller.session()
    return await call_logs.create_call_log(rt, caller, await read_log_body(request, INVALID_CALL_LOG))


@patch("/callLog", status_code=200)
async def update_call_log(request: Request[Any, Any, Any]) -> dict[str, Any]:
    rt, caller = runtime_of(request), caller_of(request)
    caller.session()
    return await call_logs.update_call_log(rt, caller, await read_log_body(request, INVALID_CALL_LOG))


@get("/callLog")
async def get_call_logs(
    rt: RuntimeDep,
    caller: CallerDep,
    sessionIds: FromQuery[str | None] = None,
    extensionNumber: FromQuery[str | None] = None,
    hashedExtensionId: FromQuery[str | None] = None,
    requireDetails: FromQuery[str | None] = None,
) -> dict[str, Any]:
    return await call_logs.get_call_logs(
        rt,
        caller,
        session_ids=sessionIds,
        extension_number=extensionNumber,
        hashed_extension_id=hashedExtensionId,
        require_details=requireDetails == "true",
    )


@put("/callDisposition", status_code=200)
async def upsert_call_disposition(request: Request[Any, Any, Any]) -> dict[str, Any]:
    rt, caller = runtime_of(request), caller_of(request)
    caller.session(bad_jwt_variant=True)
    return await call_logs.upsert_call_disposition(rt, caller, await read_log_body(request, INVALID_DISPOSITION))


@post("/callLog/cacheNote", status_code=200)
async def cache_note(request: Request[Any, Any, Any]) -> dict[str, Any]:
    rt, caller = runtime_of(request), caller_of(request)
    caller.session()
    return await call_logs.cache_note(rt, caller, await read_log_body(request, MISSING_NOTE))


ROUTES = [create_call_log, update_call_log, get_call_logs, upsert_call_disposition, cache_note]
