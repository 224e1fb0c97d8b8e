"""``appconnect mcp``: the same tools over stdio, for MCP clients that launch a command.

It runs with the server's configuration (APPCONNECT_DATA_DIR, DATABASE_URL, the keys...), so
it reads and writes the same database as ``appconnect serve``. Its identity is fixed at
start-up and never comes from tool arguments: APPCONNECT_MCP_JWT (a session JWT issued by
``POST /apiKeyLogin`` or the OAuth login of the HTTP server sharing the secret key), or an
API-key login with APPCONNECT_MCP_PLATFORM + APPCONNECT_MCP_API_KEY. Stdout carries only
MCP messages; logs go to stderr.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from composer.logging_setup import configure_logging
from composer.services.auth import ApiKeyLogin, api_key_login
from composer.services.context import Caller
from composer.services.errors import ServiceError
from composer.services.runtime import Runtime, open_runtime
from composer.settings import Settings
from mcp_server._deps import ToolDeps
from mcp_server._errors import describe_message
from mcp_server._identity import StdioIdentity
from mcp_server._server import build_server

__all__ = ["StartupError", "run_stdio", "session_token"]

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The stdio server cannot start; the message names the variable to fix."""


async def session_token(rt: Runtime, settings: Settings) -> str:
    """The session JWT the tools act with: APPCONNECT_MCP_JWT, or one from an API-key login."""
    if settings.mcp_jwt:
        if rt.tokens.verify(settings.mcp_jwt) is None:
            raise StartupError(
                "APPCONNECT_MCP_JWT is not a valid session token for this server "
                "(expired, malformed, or signed with another APPCONNECT_SECRET_KEY)"
            )
        return settings.mcp_jwt
    if not (settings.mcp_platform and settings.mcp_api_key):
        raise StartupError(
            "set APPCONNECT_MCP_JWT, or APPCONNECT_MCP_PLATFORM and APPCONNECT_MCP_API_KEY, "
            "to choose the CRM user the MCP tools act for"
        )
    login = ApiKeyLogin(platform=settings.mcp_platform, apiKey=settings.mcp_api_key)
    try:
        answer = await api_key_login(rt, Caller(), login)
    except ServiceError as exc:
        body = getattr(exc, "body", None)
        reason = describe_message(body.get("returnMessage")) if isinstance(body, dict) else ""
        raise StartupError(
            f"API-key login to APPCONNECT_MCP_PLATFORM={settings.mcp_platform!r} failed: {reason or exc.message}"
        ) from None
    token: str = answer["jwtToken"]
    log.info("mcp.stdio.login platform=%s", settings.mcp_platform)
    return token


async def _serve(settings: Settings) -> None:
    async with open_runtime(settings) as rt:
        token = await session_token(rt, settings)
        deps = ToolDeps(runtime=lambda: rt, identity=StdioIdentity(rt.tokens, token))
        await build_server(deps, version="0.1.0").run_stdio_async()


def run_stdio(settings: Settings) -> int:
    """Serve MCP on stdin/stdout until the client closes it; 2 when the configuration is unusable."""
    configure_logging(settings.log_level)
    try:
        asyncio.run(_serve(settings))
    except StartupError as exc:
        print(f"appconnect mcp: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
