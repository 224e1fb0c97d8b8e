"""A fake RingCentral API and a fake remote plugin server, served on 127.0.0.1 for real.

RingCentral: ``GET /restapi/v1.0/account/~/extension/~`` knows ``admin-token`` (an admin of
account ``acc-1``), ``user-token`` (a non-admin of ``acc-1``) and ``other-admin`` (an admin of
``acc-2``). The plugin server speaks App Connect's plugin-server protocol and records every
request it gets.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from litestar import Litestar, Request, Response, get, post
from litestar.params import FromPath

from tests._servers import serve_in_thread

IDENTITIES = {
    "admin-token": {"id": "ext-1", "account": {"id": "acc-1"}, "permissions": {"admin": {"enabled": True}}},
    "user-token": {"id": "ext-2", "account": {"id": "acc-1"}, "permissions": {"admin": {"enabled": False}}},
    "other-admin": {"id": "ext-9", "account": {"id": "acc-2"}, "permissions": {"admin": {"enabled": True}}},
}


class PluginServer:
    def __init__(self) -> None:
        self.base = ""
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.lock = threading.Lock()
        self.refresh_token_once: str | None = None
        self.sync_status = 200
        self.register_status = 200

    def seen(self, path: str) -> list[tuple[dict[str, str], Any]]:
        with self.lock:
            return [(h, b) for p, h, b in self.requests if p == path]

    def manifest(self, *, is_async: bool = False, log_types: list[str] | None = None) -> dict[str, Any]:
        manifest: dict[str, Any] = {
            "name": "Checker",
            "endpointUrl": f"{self.base}/{'async' if is_async else 'sync'}",
            "userRegisterEndpointUrl": f"{self.base}/register",
            "licenseStatusUrl": f"{self.base}/license",
            "supportedLogTypes": log_types or ["call"],
            "isAsync": is_async,
        }
        if is_async:
            manifest["tokenSyncUrl"] = f"{self.base}/token/sync"
        return manifest

    def app(self) -> Litestar:
        server = self

        async def record(request: Request[Any, Any, Any]) -> Any:
            body = await request.json() if request.method == "POST" else None
            with server.lock:
                server.requests.append((request.url.path, dict(request.headers), copy.deepcopy(body)))
            return body

        @get("/restapi/v1.0/account/~/extension/~")
        async def extension(request: Request[Any, Any, Any]) -> Response[Any]:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            identity = IDENTITIES.get(token)
            return Response(identity or {"errorCode": "TokenInvalid"}, status_code=200 if identity else 401)

        @post("/register", status_code=200)
        async def register(request: Request[Any, Any, Any]) -> Response[Any]:
            await record(request)
            return Response({"jwtToken": "plugin-jwt-1"}, status_code=server.register_status)

        @post("/sync", status_code=200)
        async def sync(request: Request[Any, Any, Any]) -> Response[Any]:
            body = await record(request)
            data = body["data"]
            data["note"] = f"{data.get('note') or ''} [checked]"
            headers = {}
            if server.refresh_token_once:
                headers["x-refreshed-jwt-token"] = server.refresh_token_once
                server.refresh_token_once = None
            return Response(data, status_code=server.sync_status, headers=headers)

        @post("/async", status_code=200)
        async def start_async(request: Request[Any, Any, Any]) -> dict[str, Any]:
            await record(request)
            return {"successful": True}

        @post("/token/sync", status_code=200)
        async def token_sync(request: Request[Any, Any, Any]) -> dict[str, Any]:
            await record(request)
            return {}

        @get("/license")
        async def license_status(request: Request[Any, Any, Any]) -> dict[str, Any]:
            await record(request)
            return {"isLicenseValid": True, "licenseStatus": "Pro", "licenseStatusDescription": "paid"}

        @get(["/manifests/{plugin_id:str}", "/catalog/{plugin_id:str}/manifest"])
        async def manifest(plugin_id: FromPath[str], request: Request[Any, Any, Any]) -> dict[str, Any]:
            await record(request)
            return server.manifest(is_async=plugin_id.startswith("async"))

        return Litestar(
            route_handlers=[extension, register, sync, start_async, token_sync, license_status, manifest],
            debug=False,
        )


@contextmanager
def plugin_server() -> Iterator[PluginServer]:
    server = PluginServer()
    with serve_in_thread(server.app()) as base:
        server.base = base
        yield server
