"""The MCP tools over streamable HTTP, on a real server, with the SDK's own client."""

from __future__ import annotations

import time

import httpx
import pytest
from mcp.shared.exceptions import MCPError

from composer.security.jwt import SessionTokens
from tests.mcp._flows import assert_tool_names, log_call_and_sms
from tests.mcp.conftest import SECRET, connect


async def test_tools_are_listed_by_name(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        await assert_tool_names(client)


async def test_log_a_call_and_an_sms_end_to_end(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        await log_call_and_sms(client)


def _refused(response: httpx.Response, base_url: str) -> None:
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert f'resource_metadata="{base_url}/.well-known/oauth-protected-resource/mcp"' in challenge


def test_requests_without_a_valid_token_are_refused(base_url: str) -> None:
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream"}
    forged = SessionTokens("another-secret-" + "y" * 40).issue(user_id="u1-local", platform="local")
    expired = SessionTokens(SECRET).issue(user_id="u1-local", platform="local", now=1_000_000)
    for auth in (None, "Bearer not-a-jwt", f"Bearer {forged}", f"Bearer {expired}", "Basic dXNlcjpwdw=="):
        sent = headers | ({"Authorization": auth} if auth else {})
        _refused(httpx.post(f"{base_url}/mcp", json=call, headers=sent, timeout=10), base_url)


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


async def test_the_sdk_client_is_refused_without_a_token(base_url: str) -> None:
    for token in (None, "garbage"):
        with pytest.raises(BaseException) as caught:
            async with connect(base_url, token) as client:
                await client.list_tools()
        assert any(isinstance(leaf, MCPError) for leaf in _leaves(caught.value)), caught.value


def test_protected_resource_metadata(base_url: str) -> None:
    for path in ("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"):
        metadata = httpx.get(f"{base_url}{path}", timeout=10).json()
        assert metadata["resource"] == f"{base_url}/mcp"
        assert metadata["authorization_servers"] == [base_url]
        assert metadata["bearer_methods_supported"] == ["header"]


def test_an_old_token_is_accepted_and_rotated(base_url: str, jwt: str) -> None:
    claims = SessionTokens(SECRET).verify(jwt)
    assert claims is not None
    old = SessionTokens(SECRET).issue(user_id=claims.id, platform=claims.platform, now=time.time() - 12 * 24 * 3600)
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "getSessionInfo", "arguments": {}}}
    headers = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {old}"}
    response = httpx.post(f"{base_url}/mcp", json=call, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["result"]["structuredContent"]["userId"] == claims.id
    fresh = SessionTokens(SECRET).verify(response.headers["x-refreshed-jwt-token"])
    assert fresh is not None and fresh.exp > time.time() + 13 * 24 * 3600
