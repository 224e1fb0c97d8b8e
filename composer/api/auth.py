"""Login, logout and session routes (spec §8)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get, post

from composer.api.body import read_struct
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import auth

__all__ = ["ROUTES"]


@post("/apiKeyLogin", status_code=200)
async def api_key_login(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    body = await read_struct(request, auth.ApiKeyLogin, error="Invalid login request")
    return await auth.api_key_login(rt, caller, body)


@get("/oauth-callback")
async def oauth_callback(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    return await auth.oauth_callback(rt, caller, dict(request.query_params))


@post("/unAuthorize", status_code=200)
async def un_authorize(rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    return await auth.un_authorize(rt, caller)


@get("/authValidation")
async def auth_validation(rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    return await auth.auth_validation(rt, caller)


@get("/licenseStatus")
async def license_status(rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    return await auth.license_status(rt, caller)


@get("/hostname", media_type=MediaType.TEXT)
async def hostname(rt: RuntimeDep, caller: CallerDep) -> str:
    return await auth.hostname(rt, caller)


ROUTES = [api_key_login, oauth_callback, un_authorize, auth_validation, license_status, hostname]
