"""CRM failures through the tools, in process (the SDK client connected to the MCPServer directly)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from mcp.client import Client

from composer.services.auth import ApiKeyLogin, api_key_login
from composer.services.context import Caller
from composer.services.runtime import Runtime, open_runtime
from composer.settings import Settings
from mcp_server import build_server
from mcp_server._deps import ToolDeps
from mcp_server._identity import StdioIdentity
from tests.mcp._flows import fails, ok


class FlakyCrm:
    """API-key CRM whose call-log create fails with HTTP 500 until ``healthy`` is set."""

    def __init__(self) -> None:
        self.healthy = False
        self.created: list[dict[str, Any]] = []

    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: str = "", **kwargs: Any) -> str:
        return base64.b64encode(apiKey.encode()).decode()

    def getUserInfo(self, **kwargs: Any) -> dict[str, Any]:
        return {"successful": True, "platformUserInfo": {"id": "42-flaky", "name": "Flaky"}}

    def createCallLog(self, **kwargs: Any) -> dict[str, Any]:
        if not self.healthy:
            request = httpx.Request("POST", "https://crm.example/activities")
            raise httpx.HTTPStatusError("down", request=request, response=httpx.Response(500, request=request))
        self.created.append(kwargs)
        return {"logId": f"act-{len(self.created)}"}

    def updateCallLog(self, **kwargs: Any) -> dict[str, Any]:
        return {}

    def listAppointments(self, **kwargs: Any) -> dict[str, Any]:
        request = httpx.Request("GET", "https://crm.example/calendar")
        raise httpx.HTTPStatusError("slow down", request=request, response=httpx.Response(429, request=request))


@asynccontextmanager
async def flaky_tools(tmp_path: Path, crm: FlakyCrm) -> AsyncIterator[tuple[Client, Runtime]]:
    settings = Settings(data_dir=tmp_path / "data", plugins_dir=tmp_path / "no-plugins", log_level="WARNING")

    def register(rt: Runtime) -> None:
        rt.registry.register_connector("flaky", crm)

    async with open_runtime(settings, registry_hooks=(register,)) as rt:
        login = await api_key_login(rt, Caller(), ApiKeyLogin(platform="flaky", apiKey="k"))
        server = build_server(ToolDeps(runtime=lambda: rt, identity=StdioIdentity(rt.tokens, login["jwtToken"])))
        async with Client(server) as client:
            yield client, rt


CALL = {"sessionId": "s-500", "direction": "Outbound", "to": {"phoneNumber": "+16505550100"}, "duration": 5}


async def test_crm_failure_is_a_tool_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    crm = FlakyCrm()
    async with flaky_tools(tmp_path, crm) as (client, _):
        text = await fails(client, "createCallLog", {"logInfo": CALL, "contactId": "7"})
        assert text.endswith(
            "Error creating call log: Please check if your account has permission to CREATE logs. "
            "The CRM answered HTTP 500."
        )
        crm.healthy = True  # the failed attempt released the session: a retry logs it once
        assert (await ok(client, "createCallLog", {"logInfo": CALL, "contactId": "7"}))["logId"] == "act-1"
        assert len(crm.created) == 1


async def test_rate_limit_and_missing_interfaces(tmp_path: Path) -> None:
    async with flaky_tools(tmp_path, FlakyCrm()) as (client, _):
        assert "Rate limit exceeded: You have exceeded the maximum number of requests allowed by flaky" in (
            await fails(client, "listAppointments", {})
        )
        assert "Error performing cancelAppointment" in await fails(client, "cancelAppointment", {"appointmentId": "1"})
        assert "Error performing upsertCallDisposition" not in await fails(
            client, "upsertCallDisposition", {"sessionId": "unknown", "dispositions": {}}
        )  # no log for the session: the business answer comes before any CRM call
        names = await ok(client, "findContactByName", {"name": "Ann"})
        assert names["contact"] == []  # a connector without name search answers an empty list


async def test_deleted_user_is_reported(tmp_path: Path) -> None:
    async with flaky_tools(tmp_path, FlakyCrm()) as (client, rt):
        user = await rt.store.users.get("42-flaky", "flaky")
        assert user is not None
        await user.destroy()
        text = await fails(client, "getSessionInfo", {})
        assert "User not found" in text
