"""Session JWT middleware: runs on every HTTP request, including /isAlive.

Reads ``Authorization: Bearer`` (scheme case-insensitive) or, only when there is no bearer
token, the legacy ``?jwtToken=``. An invalid bearer token never falls back to the query.
A valid token with seven days or less left is rotated: the new token goes out in
``x-refreshed-jwt-token``.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from composer.security.jwt import SessionClaims

__all__ = ["SESSION_STATE_KEY", "SessionMiddleware"]

SESSION_STATE_KEY = "appconnect_session"


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"authorization":
            text = value.decode("latin-1").strip()
            scheme, _, token = text.partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
            return None
    return None


def _query_token(query_string: bytes) -> str | None:
    if b"jwtToken" not in query_string:
        return None
    for key, value in parse_qsl(query_string.decode("latin-1")):
        if key == "jwtToken":
            return value
    return None


class SessionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _bearer(scope["headers"])  # type: ignore[arg-type]
        if token is None:
            token = _query_token(scope.get("query_string", b""))  # type: ignore[arg-type]
        claims: SessionClaims | None = None
        state = "none"
        refreshed: str | None = None
        if token:
            tokens = scope["app"].state.runtime.tokens  # type: ignore[union-attr]
            claims = tokens.verify(token)
            state = "valid" if claims else "invalid"
            if claims is not None and claims.needs_rotation(time.time()):
                refreshed = tokens.issue(user_id=claims.id, platform=claims.platform)
                claims = tokens.verify(refreshed)
        scope.setdefault("state", {})[SESSION_STATE_KEY] = (claims, state)  # type: ignore[typeddict-item]
        if refreshed is None:
            await self.app(scope, receive, send)
            return
        header = (b"x-refreshed-jwt-token", refreshed.encode())

        async def send_with_token(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: Any = list(message.get("headers", []))
                headers.append(header)
                message["headers"] = headers  # type: ignore[typeddict-unknown-key]
            await send(message)

        await self.app(scope, receive, send_with_token)
