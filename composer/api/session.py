"""Session JWT middleware: runs on every HTTP request, including /isAlive.

Reads ``Authorization: Bearer`` (scheme case-insensitive) or, only when there is no bearer
token, the legacy ``?jwtToken=``. An invalid bearer token never falls back to the query.
A valid token with seven days or less left is rotated: the new token goes out in
``x-refreshed-jwt-token``.

It also builds the request's ``Caller`` (the claims plus the App Connect headers services
care about) in the same pass over the raw headers, and leaves it in the scope state for
``composer.api.deps``.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from composer.security.jwt import SessionClaims
from composer.services.context import Caller, TokenState

__all__ = ["CALLER_STATE_KEY", "SessionMiddleware"]

CALLER_STATE_KEY = "appconnect_caller"
# The headers a Caller is made of (ASGI header names are lower-case bytes).
_WANTED = frozenset((b"authorization", b"x-rc-access-token", b"rc-extension-id", b"rc-account-id", b"user-agent"))


def _headers_of(scope: Scope) -> dict[bytes, str]:
    """The first value of each wanted header."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in _WANTED and name not in found:
            found[name] = value.decode("latin-1")
    return found


def _bearer(authorization: str | None) -> str | None:
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _query_value(query_string: bytes, name: str) -> str | None:
    if name.encode() not in query_string:
        return None
    for key, value in parse_qsl(query_string.decode("latin-1")):
        if key == name:
            return value
    return None


class SessionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        headers = _headers_of(scope)
        query_string: bytes = scope.get("query_string", b"")
        token = _bearer(headers.get(b"authorization"))
        if token is None:
            token = _query_value(query_string, "jwtToken")
        claims: SessionClaims | None = None
        state: TokenState = "none"
        refreshed: str | None = None
        if token:
            tokens = scope["app"].state.runtime.tokens
            claims = tokens.verify(token)
            state = "valid" if claims else "invalid"
            if claims is not None and claims.needs_rotation(time.time()):
                refreshed = tokens.issue(user_id=claims.id, platform=claims.platform)
                claims = tokens.verify(refreshed)
        rc_token = headers.get(b"x-rc-access-token") or _query_value(query_string, "rcAccessToken") or ""
        scope.setdefault("state", {})[CALLER_STATE_KEY] = Caller(
            claims=claims,
            token_state=state,
            rc_extension_id=headers.get(b"rc-extension-id", ""),
            rc_account_id=headers.get(b"rc-account-id", ""),
            is_sscl=headers.get(b"user-agent", "") == "SSCL",
            rc_access_token=rc_token.removeprefix("Bearer ").strip(),
        )
        if refreshed is None:
            await self.app(scope, receive, send)
            return
        header = (b"x-refreshed-jwt-token", refreshed.encode())

        async def send_with_token(message: Message) -> None:
            if message["type"] == "http.response.start":
                out: Any = list(message.get("headers", []))
                out.append(header)
                message["headers"] = out
            await send(message)

        await self.app(scope, receive, send_with_token)
