"""Connector account data (spec §12): cached descriptor values with a stale fallback."""

from __future__ import annotations

import inspect
import time
from typing import TYPE_CHECKING, Any

from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.errors import BadRequest, ErrorResponse
from composer.services.messages import rm
from composer.services.sessions import connector_for, current_user
from composer.store.users import UserRecord

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["fetch_account_data", "get_account_data"]

DEFAULT_TTL_MS = 24 * 3600 * 1000


def _descriptor_part(descriptor: Any, name: str) -> Any:
    return descriptor.get(name) if isinstance(descriptor, dict) else getattr(descriptor, name, None)


def scope_of(user: UserRecord) -> str:
    return user.rcAccountId or f"user:{user.id}"


async def fetch_account_data(
    rt: Runtime, *, user: UserRecord, descriptor: Any, key: str, auth_header: str, force_refresh: bool = False
) -> Any:
    scope = scope_of(user)
    ttl = _descriptor_part(descriptor, "ttlMs") or DEFAULT_TTL_MS
    cached = await rt.store.account_data.get(scope_id=scope, platform=user.platform, key=key)
    if cached is not None and not force_refresh and cached.updated_at_ms + ttl > time.time() * 1000:
        return cached.data
    fetch = _descriptor_part(descriptor, "fetch")
    try:
        value = fetch(user=user, authHeader=auth_header)
        if inspect.isawaitable(value):
            value = await value
    except Exception:
        if cached is not None:
            return cached.data
        raise
    await rt.store.account_data.put(scope_id=scope, platform=user.platform, key=key, data=value)
    return value


async def get_account_data(rt: Runtime, caller: Caller, *, keys: str | None, force_refresh: bool) -> dict[str, Any]:
    wanted = [k.strip() for k in (keys or "").split(",") if k.strip()]
    if not wanted:
        raise BadRequest("Missing keys")
    user = await current_user(rt, caller)
    if user is None:
        return {"successful": False, "returnMessage": rm("User not found", 5000)}
    connector = connector_for(rt, user.platform)
    table = getattr(connector, "accountData", None) or {}
    unknown = [k for k in wanted if k not in table]
    if unknown:
        raise ErrorResponse(
            400, {"successful": False, "returnMessage": rm(f"Unknown account data key(s): {', '.join(unknown)}", 5000)}
        )
    access = await prepare_access(rt, user, connector)
    data = {
        key: await fetch_account_data(
            rt, user=user, descriptor=table[key], key=key, auth_header=access.auth_header, force_refresh=force_refresh
        )
        for key in wanted
    }
    return {"successful": True, "returnMessage": None, "data": data}
