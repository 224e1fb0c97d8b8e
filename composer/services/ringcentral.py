"""RingCentral access-token validation (spec §4), cached 60 s by the token's hash."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import msgspec

from composer.services.errors import AdminRequired, RequestFailed

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["RcIdentity", "validate_admin", "validate_rc_user"]

_CACHE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class RcIdentity:
    account_id: str
    extension_id: str
    is_admin: bool


def _cache(rt: Runtime) -> dict[str, tuple[float, RcIdentity]]:
    return rt.extensions.setdefault("rc_identity_cache", {})  # type: ignore[no-any-return]


async def validate_rc_user(rt: Runtime, token: str) -> RcIdentity:
    """Raises RequestFailed when RingCentral does not accept the token."""
    token = token.removeprefix("Bearer ").strip()
    key = hashlib.sha256(token.encode()).hexdigest()
    cache = _cache(rt)
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    url = rt.settings.ringcentral_server.rstrip("/") + "/restapi/v1.0/account/~/extension/~"
    try:
        response = await rt.http.get(url, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        raise RequestFailed("RingCentral could not be reached to validate the token") from None
    if not response.is_success:
        raise RequestFailed("RingCentral rejected the access token")
    try:
        body = msgspec.json.decode(response.content)
        account_id = str(body["account"]["id"])
        extension_id = str(body["id"])
    except (msgspec.DecodeError, KeyError, TypeError):
        raise RequestFailed("RingCentral sent an unreadable extension record") from None
    permissions = body.get("permissions") or {}
    is_admin = bool((permissions.get("admin") or {}).get("enabled"))
    identity = RcIdentity(account_id=account_id, extension_id=extension_id, is_admin=is_admin)
    cache[key] = (time.monotonic() + _CACHE_SECONDS, identity)
    return identity


async def validate_admin(rt: Runtime, token: str) -> RcIdentity:
    try:
        identity = await validate_rc_user(rt, token)
    except RequestFailed:
        raise AdminRequired() from None
    if not identity.is_admin:
        raise AdminRequired()
    return identity
