"""Resolving the caller's user row and connector: the first step of almost every route."""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer.services.context import Caller
from composer.services.errors import RequestFailed
from composer.store.users import UserRecord

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["connector_for", "current_user"]


def connector_for(rt: Runtime, platform: str) -> object:
    """The connector for a platform; RequestFailed (EXC) when nothing can serve it."""
    try:
        return rt.registry.get_connector(platform)
    except LookupError as exc:
        raise RequestFailed(str(exc)) from None


async def current_user(rt: Runtime, caller: Caller, *, bad_jwt_variant: bool = False) -> UserRecord | None:
    """The user row of the verified session, loaded by (id, platform); None if missing."""
    claims = caller.session(bad_jwt_variant=bad_jwt_variant)
    return await rt.store.users.get(claims.id, claims.platform)
