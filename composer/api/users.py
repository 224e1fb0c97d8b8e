"""User settings routes (spec §8)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.params import FromQuery

from composer.api.body import read_struct
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import user_settings

__all__ = ["ROUTES"]


class SettingsUpdate(msgspec.Struct, kw_only=True):
    userSettings: dict[str, Any] | None = None
    settingKeysToRemove: list[str] | None = None


@get("/user/preloadSettings")
async def preload_settings(rt: RuntimeDep, caller: CallerDep, rcAccountId: FromQuery[str | None] = None) -> dict[str, Any]:
    return await user_settings.preload_settings(rt, caller, rc_account_id=rcAccountId)


@get("/user/settings")
async def get_settings(rt: RuntimeDep, caller: CallerDep, rcAccountId: FromQuery[str | None] = None) -> dict[str, Any]:
    return await user_settings.get_user_settings(rt, caller, rc_account_id=rcAccountId)


@post("/user/settings", status_code=200)
async def post_settings(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    body = await read_struct(request, SettingsUpdate, error="Invalid settings request")
    return await user_settings.update_user_settings(
        rt, caller, user_settings=body.userSettings, keys_to_remove=body.settingKeysToRemove
    )


@post("/user/refreshInfo", status_code=200)
async def refresh_info(rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    return await user_settings.refresh_user_info(rt, caller)


ROUTES = [preload_settings, get_settings, post_settings, refresh_info]
