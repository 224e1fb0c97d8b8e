"""Login, logout and session routes (spec §8)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get, post

from composer.api.body import read_struct
from composer.services import auth
from composer.services.context import Caller
from composer.services.runtime import Runtime

__all__ = ["ROUTES"]


@post("/apiKeyLogin", status_code=200)
async def api_key_login(request: Request[Any, Any, Any], rt: Runtime, caller: Caller) -> dict[str, Any]:
    body = await read_struct(request, auth.ApiKeyLogin, error="Invalid login request")
    return await auth.api_key_login(rt, caller, body)


@get("/oauth-callback")
async def oauth_callback(request: Request[Any, Any, Any], rt: Runtime, caller: Caller) -> dict[str, Any]:
    return await auth.oauth_callback(rt, caller, dict(request.query_params))


@post("/unAuthorize", status_code=200)
async def un_authorize(rt: Runtime, caller: Caller) -> dict[str, Any]:
    return await auth.un_authorize(rt, caller)


@get("/authValidation")
async def auth_validation(rt: Runtime, caller: Caller) -> dict[str, Any]:
    return await auth.auth_validation(rt, caller)


@get("/licenseStatus")
async def license_status(rt: Runtime, caller: Caller) -> dict[str, Any]:
    return await auth.license_status(rt, caller)


@get("/hostname", media_type=MediaType.TEXT)
async def hostname(rt: Runtime, caller: Caller) -> str:
    return await auth.hostname(rt, caller)


ROUTES = [api_key_login, oauth_callback, un_authorize, auth_validation, license_status, hostname]
