"""Where a tool call's identity comes from: never from tool arguments.

Over HTTP the SDK's bearer middleware has verified ``Authorization: Bearer <session JWT>``
on this very request (``SessionTokenVerifier``) and exposes the result through
``get_access_token()``; over stdio the process holds one session JWT (given, or minted by
an API-key login at start-up) and re-verifies it on every call, rotating it in memory when
it gets old, as the HTTP middleware does for browser clients.
"""

from __future__ import annotations

import time
from typing import Protocol

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver.exceptions import ToolError

from composer.security.jwt import SessionClaims, SessionTokens
from composer.services.context import Caller

__all__ = ["BearerIdentity", "Identity", "SessionTokenVerifier", "StdioIdentity", "TokensSource"]

_CLIENT_ID = "appconnect-session"


class TokensSource(Protocol):
    """The runtime's token service, available once the app's lifespan has opened it."""

    def __call__(self) -> SessionTokens: ...


class Identity(Protocol):
    def caller(self) -> Caller:
        """The verified caller of the current tool call; ToolError when there is none."""
        ...


def _caller(claims: SessionClaims) -> Caller:
    return Caller(claims=claims, token_state="valid")


class SessionTokenVerifier:
    """The SDK's ``TokenVerifier`` over our session JWTs (HS256, ``id`` + ``platform`` claims)."""

    def __init__(self, tokens: TokensSource, *, issuer: str) -> None:
        self._tokens = tokens
        self._issuer = issuer

    async def verify_token(self, token: str) -> AccessToken | None:
        claims = self._tokens().verify(token)
        if claims is None:
            return None
        return AccessToken(
            token=token,
            client_id=_CLIENT_ID,
            scopes=[],
            expires_at=claims.exp,
            # The principal an MCP session is bound to: one CRM user on one platform.
            subject=f"{claims.platform}:{claims.id}",
            claims={"iss": self._issuer, "id": claims.id, "platform": claims.platform},
        )


class BearerIdentity:
    """HTTP: the access token the SDK verified for the request that carries this tool call."""

    def caller(self) -> Caller:
        token = get_access_token()
        details = (token.claims or {}) if token is not None else {}
        if token is None or token.expires_at is None or "id" not in details:
            raise ToolError("Not authenticated: send Authorization: Bearer <session JWT from POST /apiKeyLogin>.")
        claims = SessionClaims(id=str(details["id"]), platform=str(details.get("platform") or ""), exp=token.expires_at)
        return _caller(claims)


class StdioIdentity:
    """stdio: one session JWT for the life of the process, verified on every call."""

    def __init__(self, tokens: SessionTokens, token: str) -> None:
        self._tokens = tokens
        self._token = token

    def caller(self) -> Caller:
        claims = self._tokens.verify(self._token)
        if claims is None:
            raise ToolError(
                "The session JWT is invalid or expired. Restart the MCP server with a fresh APPCONNECT_MCP_JWT, "
                "or configure APPCONNECT_MCP_PLATFORM and APPCONNECT_MCP_API_KEY to log in at start-up."
            )
        if claims.needs_rotation(time.time()):
            self._token = self._tokens.issue(user_id=claims.id, platform=claims.platform)
            claims = self._tokens.verify(self._token) or claims
        return _caller(claims)
