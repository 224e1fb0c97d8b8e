"""User settings, admin-preloaded settings and the settings merge of spec §8."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.errors import BadRequest, RequestFailed, SessionRevoked
from composer.services.messages import rm, session_expired
from composer.services.ringcentral import validate_rc_user
from composer.services.sessions import connector_for, current_user
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["get_user_settings", "merge_settings", "preload_settings", "refresh_user_info", "update_user_settings"]


async def _admin_config_id(rt: Runtime, caller: Caller, rc_account_id: str | None) -> str | None:
    if rc_account_id:
        return rc_account_id  # already hashed by the client
    if caller.rc_access_token:
        identity = await validate_rc_user(rt, caller.rc_access_token)
        return rt.hash(identity.account_id)
    return None


async def preload_settings(rt: Runtime, caller: Caller, *, rc_account_id: str | None) -> dict[str, Any]:
    config_id = await _admin_config_id(rt, caller, rc_account_id)
    if config_id is None:
        raise BadRequest("Cannot find rc user login")
    config = await rt.store.admin.get(config_id)
    return {"userSettings": config.user_settings if config else None}


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _merge_plugin_config(admin_cfg: dict[str, Any] | None, user_cfg: dict[str, Any] | None) -> dict[str, Any] | None:
    if not user_cfg:
        return admin_cfg
    if not admin_cfg:
        return user_cfg
    merged: dict[str, Any] = {}
    for field in {**admin_cfg, **user_cfg}:
        admin_field = admin_cfg.get(field)
        user_field = user_cfg.get(field)
        if not isinstance(admin_field, dict):
            merged[field] = user_field if user_field is not None else admin_field
            continue
        if user_field is None:
            merged[field] = admin_field
            continue
        user_value = user_field.get("value") if isinstance(user_field, dict) else user_field
        customizable = admin_field.get("customizable", True)
        if not customizable or (_is_empty(user_value) and not _is_empty(admin_field.get("value"))):
            merged[field] = admin_field
        else:
            entry = dict(user_field) if isinstance(user_field, dict) else {"value": user_field}
            entry["customizable"] = customizable
            merged[field] = entry
    return merged


def _dict_or_empty(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def merge_settings(admin: dict[str, Any] | None, user: dict[str, Any] | None) -> dict[str, Any]:
    """Admin settings over user settings, honouring ``customizable`` and ``isRemoved``."""
    if not admin:
        return dict(user or {})
    if user is None:
        return {}
    merged: dict[str, Any] = {}
    for key in {**admin, **user}:
        admin_entry = admin.get(key)
        user_entry = user.get(key)
        if isinstance(admin_entry, dict) and admin_entry.get("isRemoved"):
            continue
        user_may_customise = admin_entry is None or (isinstance(admin_entry, dict) and admin_entry.get("customizable"))
        if user_may_customise and user_entry is not None:
            source = user_entry if isinstance(user_entry, dict) else {"value": user_entry}
            entry = {
                "customizable": True,
                "value": source.get("value"),
                "defaultValue": source.get("defaultValue"),
                "options": source.get("options"),
            }
            if key.startswith("plugin_") and isinstance(admin_entry, dict):
                admin_value = _dict_or_empty(admin_entry.get("value"))
                user_value = _dict_or_empty(source.get("value"))
                config = _merge_plugin_config(admin_value.get("config"), user_value.get("config"))
                if config is None:
                    continue
                entry["value"] = {**admin_value, **user_value, "config": config}
            merged[key] = entry
        elif admin_entry is not None:
            merged[key] = admin_entry
    return merged


async def get_user_settings(rt: Runtime, caller: Caller, *, rc_account_id: str | None) -> dict[str, Any]:
    user = await current_user(rt, caller)
    if user is None:
        raise BadRequest("User not found")
    if not caller.rc_access_token and not rc_account_id:
        return user.userSettings or {}
    admin_settings: dict[str, Any] | None = None
    try:
        config_id = await _admin_config_id(rt, caller, rc_account_id)
        config = await rt.store.admin.get(config_id) if config_id else None
        admin_settings = config.user_settings if config else None
    except (RequestFailed, BadRequest):
        admin_settings = None
    return merge_settings(admin_settings, user.userSettings)


async def update_user_settings(
    rt: Runtime, caller: Caller, *, user_settings: dict[str, Any] | None, keys_to_remove: list[str] | None
) -> dict[str, Any]:
    claims = caller.session()
    if not claims.platform:
        raise BadRequest("Unknown platform")
    user = await current_user(rt, caller)
    if user is None:
        raise BadRequest("User not found")
    merged = {**(user.userSettings or {}), **(user_settings or {})}
    for key in keys_to_remove or []:
        merged.pop(key, None)
    connector = connector_for(rt, user.platform)
    if get_interface(connector, "onUpdateUserSettings") is not None:
        result = await call_interface(
            connector, "onUpdateUserSettings", user=user, userSettings=merged, updatedSettings=user_settings or {}
        )
        result = result if isinstance(result, dict) else {}
        if result.get("successful"):
            await rt.store.users.update_settings(user.id, user.platform, merged)
            stored = merged
        else:
            stored = user.userSettings or {}
        return {"userSettings": stored, "successful": bool(result.get("successful")), "returnMessage": result.get("returnMessage")}
    await rt.store.users.update_settings(user.id, user.platform, merged)
    return {"userSettings": merged}


async def refresh_user_info(rt: Runtime, caller: Caller) -> dict[str, Any]:
    claims = caller.session()
    connector = connector_for(rt, claims.platform)
    if get_interface(connector, "refreshUserInfo") is None:
        return {"successful": True}
    user = await current_user(rt, caller)
    if user is None:
        return {"successful": False, "returnMessage": rm("User not found", 5000)}
    try:
        access = await prepare_access(rt, user, connector)
    except SessionRevoked:
        return {"successful": False, "returnMessage": session_expired()}
    result = await call_interface(
        connector, "refreshUserInfo", user=user, authHeader=access.auth_header, proxyConfig=access.proxy_config
    )
    result = result if isinstance(result, dict) else {}
    return {"successful": bool(result.get("successful")), "returnMessage": result.get("returnMessage")}
