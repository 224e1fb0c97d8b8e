"""``appconnect mcp`` over stdio: the real command, spawned by the SDK's stdio client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from composer.app import create_app
from tests.mcp._flows import assert_tool_names, fails, log_call_and_sms, ok
from tests.mcp.conftest import make_settings

APPCONNECT = str(Path(sys.executable).with_name("appconnect"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The server's own configuration: the same data directory (database and keys) as `serve`."""
    return {
        "APPCONNECT_DATA_DIR": str(tmp_path / "data"),
        "APPCONNECT_PLUGINS_DIR": str(tmp_path / "no-plugins"),
        "APPCONNECT_LOG_LEVEL": "WARNING",
        **extra,
    }


@asynccontextmanager
async def stdio(tmp_path: Path, **extra: str) -> AsyncIterator[Client]:
    params = StdioServerParameters(command=APPCONNECT, args=["mcp"], env=_env(tmp_path, **extra), cwd=tmp_path)
    async with Client(params) as client:
        yield client


async def test_api_key_login_then_tools(tmp_path: Path) -> None:
    async with stdio(tmp_path, APPCONNECT_MCP_PLATFORM="local", APPCONNECT_MCP_API_KEY="stdio-agent") as client:
        await assert_tool_names(client)
        await log_call_and_sms(client)
        info = await ok(client, "getSessionInfo", {})
        assert info["platform"] == "local"


async def test_jwt_from_the_http_server(tmp_path: Path) -> None:
    """A JWT issued by POST /apiKeyLogin of a server on the same data directory works over stdio."""
    settings = make_settings(tmp_path, secret_key="", data_key="")  # keys generated into the data dir, as in production
    async with AsyncTestClient(app=create_app(settings)) as http:
        login = await http.post("/apiKeyLogin", json={"platform": "local", "apiKey": "shared-user"})
        token = login.json()["jwtToken"]
        created = await http.post(
            "/appointments",
            json={"title": "From HTTP", "summary": "", "startTimeUtc": "2026-03-06T15:00:00Z", "durationMinutes": 5},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.json()["successful"] is True
    async with stdio(tmp_path, APPCONNECT_MCP_JWT=token) as client:
        listed = await ok(client, "listAppointments", {})
        assert [a["title"] for a in listed["appointments"]] == ["From HTTP"]
        invalid = await fails(client, "createAppointment", {"title": "", "startTimeUtc": "x", "durationMinutes": 1})
        assert "title" in invalid


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "APPCONNECT_MCP_JWT, or APPCONNECT_MCP_PLATFORM and APPCONNECT_MCP_API_KEY"),
        ({"APPCONNECT_MCP_JWT": "not-a-jwt"}, "APPCONNECT_MCP_JWT is not a valid session token"),
        ({"APPCONNECT_MCP_PLATFORM": "nowhere", "APPCONNECT_MCP_API_KEY": "k"}, "APPCONNECT_MCP_PLATFORM='nowhere'"),
    ],
)
def test_refuses_to_start_without_a_usable_identity(tmp_path: Path, extra: dict[str, str], message: str) -> None:
    env = {"PATH": "/usr/bin:/bin", **_env(tmp_path, **extra)}
    done = subprocess.run(
        [APPCONNECT, "mcp"], env=env, cwd=tmp_path, input="", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""  # nothing but MCP messages ever goes to stdout
