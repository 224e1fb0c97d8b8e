"""Streamable HTTP: the SDK's app mounted at ``/mcp`` in the Litestar app, bearer JWTs required.

``McpHttpSurface(settings)`` is built by ``create_app``: its ``route_handlers`` go into the
app (the ``/mcp`` mount and the RFC 9728 metadata at ``/.well-known/oauth-protected-resource``
and ``/.well-known/oauth-protected-resource/mcp``), and ``running(rt)`` is entered in the
app's lifespan, after the runtime is open: it hands the runtime to the tools and runs the
SDK's session manager for the life of the app.

Every HTTP request to ``/mcp`` is authenticated by the SDK's bearer middleware with
``SessionTokenVerifier`` (the session JWT the HTTP API issues, checked by ``rt.tokens``);
without a valid one the answer is 401 with ``WWW-Authenticate: Bearer ...
resource_metadata="<base>/.well-known/oauth-protected-resource/mcp"``. The transport is
stateless JSON: no server-side MCP session, so any instance behind a load balancer can
serve any request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from litestar import get
from litestar.handlers import asgi
from litestar.types import ControllerRouterHandler, Receive, Scope, Send
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.auth import ProtectedResourceMetadata

from composer.services.runtime import Runtime
from composer.settings import Settings
from mcp_server._deps import ToolDeps
from mcp_server._identity import BearerIdentity, SessionTokenVerifier
from mcp_server._server import SERVER_NAME, build_server

__all__ = ["METADATA_PATHS", "MOUNT_PATH", "McpHttpSurface", "public_base_url"]

MOUNT_PATH = "/mcp"
METADATA_PATHS = ["/.well-known/oauth-protected-resource", f"/.well-known/oauth-protected-resource{MOUNT_PATH}"]
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def public_base_url(settings: Settings) -> str:
    """APPCONNECT_APP_SERVER, else the address the server listens on (loopback for 0.0.0.0)."""
    if settings.app_server:
        return settings.app_server.rstrip("/")
    host = settings.host if settings.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings.port}"


def _transport_security(settings: Settings, base_url: str) -> TransportSecuritySettings:
    """DNS-rebinding protection for a loopback server (the SDK's default), plus the public host."""
    if settings.host not in _LOOPBACK:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
    public = urlsplit(base_url)
    if public.hostname and public.hostname not in _LOOPBACK:
        hosts += [public.netloc, f"{public.hostname}:*"]
        origins.append(f"{public.scheme}://{public.netloc}")
    return TransportSecuritySettings(allowed_hosts=hosts, allowed_origins=origins)


class McpHttpSurface:
    def __init__(self, settings: Settings, *, version: str = "0.1.0") -> None:
        self._runtime: Runtime | None = None
        self.base_url = public_base_url(settings)
        self.resource_url = f"{self.base_url}{MOUNT_PATH}"
        verifier = SessionTokenVerifier(lambda: self.runtime().tokens, issuer=self.base_url)
        self.server = build_server(
            ToolDeps(runtime=self.runtime, identity=BearerIdentity()),
            version=version,
            token_verifier=verifier,
            auth=AuthSettings(
                issuer_url=self.base_url,  # type: ignore[arg-type]
                resource_server_url=self.resource_url,  # type: ignore[arg-type]
                # Our verifier checks the token itself (signature, expiry, user claims).
                validate_token_resource=False,
            ),
        )
        self._app = self.server.streamable_http_app(
            streamable_http_path="/",
            stateless_http=True,
            json_response=True,
            max_request_body_size=settings.max_body_bytes,
            transport_security=_transport_security(settings, self.base_url),
        )
        self.metadata = ProtectedResourceMetadata(
            resource=self.resource_url,  # type: ignore[arg-type]
            authorization_servers=[self.base_url],  # type: ignore[list-item]
            bearer_methods_supported=["header"],
            resource_name=f"{SERVER_NAME} MCP tools",
        ).model_dump(mode="json", exclude_none=True)

    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the MCP surface is used outside the app's lifespan")
        return self._runtime

    @asynccontextmanager
    async def running(self, rt: Runtime) -> AsyncIterator[None]:
        """Serve tools with ``rt`` while the SDK's session manager runs; both end on exit."""
        self._runtime = rt
        try:
            async with self.server.session_manager.run():
                yield
        finally:
            self._runtime = None

    @property
    def route_handlers(self) -> list[ControllerRouterHandler]:
        app = self._app
        metadata = self.metadata

        @asgi(MOUNT_PATH, is_mount=True, copy_scope=True)
        async def mcp_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
            await app(scope, receive, send)  # type: ignore[arg-type]

        @get(METADATA_PATHS, sync_to_thread=False, include_in_schema=False)
        def protected_resource_metadata() -> dict[str, Any]:
            return metadata

        return [mcp_endpoint, protected_resource_metadata]
