"""Message-log route (http-api.md §11): a thin translation onto composer.services.message_logs."""

from __future__ import annotations

from typing import Any

from litestar import Request, post

from composer.api.call_logs import read_log_body
from composer.api.deps import caller_of, runtime_of
from composer.services import message_logs
from composer.services.log_requests import INVALID_MESSAGE_LOG

__all__ = ["ROUTES"]


@post("/messageLog", status_code=200)
async def create_message_log(request: Request[Any, Any, Any]) -> dict[str, Any]:
    rt, caller = runtime_of(request), caller_of(request)
    caller.session()
    return await message_logs.create_message_log(rt, caller, await read_log_body(request, INVALID_MESSAGE_LOG))


ROUTES = [create_message_log]
