"""MCP fixtures: a real server (create_app under uvicorn on 127.0.0.1) and SDK clients.

The server runs in a background thread with its own event loop; each test talks to it with
the SDK's streamable HTTP client, as an MCP client application would.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from composer.app import create_app
from composer.settings import Settings
from tests._servers import free_port, serve_in_thread

SECRET = "mcp-tests-secret-" + "x" * 40


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key=SECRET,
        data_key=base64.b64encode(b"m" * 32).decode(),
        plugins_dir=tmp_path / "no-plugins",
        log_level="WARNING",
    ).with_overrides(**overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, port=free_port())


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    with serve_in_thread(create_app(settings), port=settings.port) as url:
        yield url


def login(base_url: str, api_key: str = "mcp-agent-key") -> str:
    response = httpx.post(f"{base_url}/apiKeyLogin", json={"platform": "local", "apiKey": api_key}, timeout=10)
    assert response.status_code == 200, response.text
    token: str = response.json()["jwtToken"]
    return token


@pytest.fixture
def jwt(base_url: str) -> str:
    return login(base_url)


@asynccontextmanager
async def connect(base_url: str, token: str | None) -> AsyncIterator[Client]:
    """An SDK client on ``<base_url>/mcp``, sending ``token`` as the bearer credential.

    A context manager, not a fixture: the client's task group must be entered and left in
    the same task, which pytest-asyncio does not guarantee for async generator fixtures.
    """
    headers = {"Authorization": f"Bearer {token}"} if token is not None else None
    # httpx2 is the SDK's HTTP client; a long read timeout as the SDK's own default client has.
    http_client = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))
    async with http_client, Client(streamable_http_client(f"{base_url}/mcp", http_client=http_client)) as client:
        yield client
