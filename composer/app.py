"""``create_app(settings)``: the one place the HTTP application is assembled.

The lifespan opens the runtime (store, registry, HTTP client, plugins) and closes it in
reverse order; tests call the same function with test settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from composer.api import (
    appointments,
    auth,
    call_logs,
    contacts,
    errors,
    local_crm,
    message_logs,
    plugins,
    system,
    users,
)
from composer.api.deps import provide_caller, provide_runtime
from composer.api.session import SessionMiddleware
from composer.logging_setup import configure_logging
from composer.services.runtime import RegistryHook, open_runtime
from composer.settings import Settings
from mcp_server.http import McpHttpSurface

__all__ = ["create_app"]


def create_app(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    registry_hooks: tuple[RegistryHook, ...] = (),
) -> Litestar:
    configure_logging(settings.log_level)
    mcp = McpHttpSurface(settings)  # streamable HTTP at /mcp; its session manager runs in the lifespan

    @asynccontextmanager
    async def runtime_lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_runtime(settings, transport=transport, registry_hooks=registry_hooks) as rt:
            app.state.runtime = rt
            async with mcp.running(rt):
                yield

    return Litestar(
        route_handlers=[*system.ROUTES, *auth.ROUTES, *users.ROUTES, *contacts.ROUTES, *local_crm.ROUTES, *appointments.ROUTES,
                        *call_logs.ROUTES, *message_logs.ROUTES, *plugins.ROUTES, *mcp.route_handlers],
        dependencies={
            "rt": Provide(provide_runtime, sync_to_thread=False),
            "caller": Provide(provide_caller, sync_to_thread=False),
        },
        exception_handlers=errors.EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[DefineMiddleware(SessionMiddleware)],
        lifespan=[runtime_lifespan],
        cors_config=CORSConfig(
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["*"],
            expose_headers=["x-refreshed-jwt-token"],
        ),
        openapi_config=OpenAPIConfig(title="App Connect logging composer", version="0.1.0", path="/schema"),
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        # Our own logging setup (level, secret-redacting filter) must not be replaced by Litestar's default.
        logging_config=None,
    )
