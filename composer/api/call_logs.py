"""Call-log routes (http-api.md §10): thin translations onto composer.services.call_logs."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch, post, put
from litestar.di import Provide
from litestar.params import FromQuery

from composer.api.body import read_body
from composer.api.deps import CallerDep, RuntimeDep, provide_caller
from composer.services import call_logs
from composer.services.context import Caller
from composer.services.errors import BadRequest
from composer.services.log_requests import (
    INVALID_CALL_LOG,
    INVALID_DISPOSITION,
    MISSING_NOTE,
    InvalidLogRequest,
)

__all__ = ["LOGGING_DEPENDENCIES", "ROUTES", "read_log_body"]


def _caller_after_runtime(request: Request[Any, Any, Any], rt: RuntimeDep) -> Caller:
    """The app's ``caller``, made to depend on ``rt``.

    Litestar resolves sibling dependencies of one batch in an anyio task group; with ``rt`` and
    ``caller`` as siblings that task group cost more per request than the rest of the DI
    (measured: ~40% of the throughput of ``POST /callLog``). Chained, each batch has one
    member and is awaited directly.
    """
    del rt
    return provide_caller(request)


LOGGING_DEPENDENCIES = {"caller": Provide(_caller_after_runtime, sync_to_thread=False)}


async def read_log_body(request: Request[Any, Any, Any], text: str) -> Any:
    """The decoded body; unreadable JSON is ERR400 with ``text`` as the message and the reason as a detail."""
    try:
        return await read_body(request, error=text)
    except BadRequest as exc:
        raise InvalidLogRequest(text, exc.message.removeprefix(f"{text}: ")) from None


@post("/callLog", status_code=200, dependencies=LOGGING_DEPENDENCIES)
async def create_call_log(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    return await call_logs.create_call_log(rt, caller, await read_log_body(request, INVALID_CALL_LOG))


@patch("/callLog", status_code=200, dependencies=LOGGING_DEPENDENCIES)
async def update_call_log(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    return await call_logs.update_call_log(rt, caller, await read_log_body(request, INVALID_CALL_LOG))


@get("/callLog", dependencies=LOGGING_DEPENDENCIES)
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


@put("/callDisposition", status_code=200, dependencies=LOGGING_DEPENDENCIES)
async def upsert_call_disposition(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session(bad_jwt_variant=True)
    return await call_logs.upsert_call_disposition(rt, caller, await read_log_body(request, INVALID_DISPOSITION))


@post("/callLog/cacheNote", status_code=200, dependencies=LOGGING_DEPENDENCIES)
async def cache_note(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    return await call_logs.cache_note(rt, caller, await read_log_body(request, MISSING_NOTE))


ROUTES = [create_call_log, update_call_log, get_call_logs, upsert_call_disposition, cache_note]
