"""OAuth login and refresh against a fake token endpoint on 127.0.0.1 (spec §5, items 13–14)."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from litestar import Litestar, Request, post
from litestar.testing import AsyncTestClient

from composer.services.runtime import Runtime
from tests._servers import serve_in_thread
from tests.api.conftest import bearer

CLIENT_ID, CLIENT_SECRET = "client-1", "secret-1"


class TokenServer:
    """A tiny OAuth token endpoint: authorization_code and refresh_token grants, rotating refresh tokens."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.valid_refresh: set[str] = set()
        self.refresh_calls: list[dict[str, str]] = []
        self.auth_headers: list[str] = []
        self.fail_with: int | None = None

    def app(self) -> Litestar:
        server = self

        @post("/oauth/token", status_code=200)
        async def token(request: Request[Any, Any, Any]) -> Any:
            form = dict(await request.form())
            server.auth_headers.append(request.headers.get("authorization", ""))
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != expected:
                return _json({"error": "invalid_client"}, 401)
            if server.fail_with:
                return _json({"error": "server_error"}, server.fail_with)
            if form.get("grant_type") == "authorization_code":
                if form.get("code") != "good-code":
                    return _json({"error": "invalid_grant"}, 400)
                return server._issue()
            if form.get("grant_type") == "refresh_token":
                server.refresh_calls.append(form)
                if form.get("refresh_token") not in server.valid_refresh:
                    return _json({"error": "invalid_grant"}, 400)
                server.valid_refresh.discard(form["refresh_token"])
                return server._issue()
            return _json({"error": "unsupported_grant_type"}, 400)

        return Litestar([token])

    def _issue(self) -> dict[str, Any]:
        n = next(self.counter)
        self.valid_refresh.add(f"rt-{n}")
        return {"access_token": f"at-{n}", "refresh_token": f"rt-{n}", "expires_in": 3600, "token_type": "bearer"}


def _json(body: Any, status: int) -> Any:
    from litestar import Response

    return Response(body, status_code=status)


def oauth_connector(token_url: str) -> SimpleNamespace:
    seen: list[str] = []

    async def find_contact(*, authHeader: str, phoneNumber: str, **kw: Any) -> dict[str, Any]:
        seen.append(authHeader)
        return {"successful": True, "matchedContactInfo": [{"id": "c1", "name": "Pat", "phone": phoneNumber}]}

    return SimpleNamespace(
        seen=seen,
        getAuthType=lambda **kw: "oauth",
        getOauthInfo=lambda **kw: {
            "clientId": CLIENT_ID,
            "clientSecret": CLIENT_SECRET,
            "accessTokenUri": token_url,
            "redirectUri": "https://app.example.com/oauth-callback",
        },
        getUserInfo=lambda **kw: {
            "successful": True,
            "platformUserInfo": {"id": "crm-7-fakeoauth", "name": "Ann Lee", "timezoneOffset": -5.0},
            "returnMessage": {"message": "Connected", "messageType": "success", "ttl": 1000},
        },
        findContact=find_contact,
        createCallLog=lambda **kw: {"logId": "1"},
        updateCallLog=lambda **kw: {},
    )


@pytest.fixture
def token_server() -> Iterator[tuple[TokenServer, str]]:
    server = TokenServer()
    with serve_in_thread(server.app()) as base_url:
        yield server, f"{base_url}/oauth/token"


@pytest.fixture
def registry_hooks(token_server: tuple[TokenServer, str]) -> tuple[Callable[[Runtime], None], ...]:
    _, token_url = token_server

    def register(rt: Runtime) -> None:
        rt.registry.register_connector("fakeoauth", oauth_connector(token_url))

    return (register,)


async def _oauth_login(client: AsyncTestClient[Litestar]) -> str:
    callback = "https://app.example.com/oauth-callback?code=good-code&state=platform%3Dfakeoauth"
    response = await client.get("/oauth-callback", params={"callbackUri": callback, "rcAccountId": "acc-1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Ann Lee"
    token: str = body["jwtToken"]
    return token


async def _expire_soon(runtime: Runtime, user_id: str) -> None:
    user = await runtime.store.users.get(user_id, "fakeoauth")
    assert user is not None
    user.tokenExpiry = datetime.now(UTC) + timedelta(minutes=1)
    await user.save()


async def test_oauth_callback_stores_encrypted_tokens(client: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    await _oauth_login(client)
    row = await runtime.store.users.raw_row("crm-7-fakeoauth")
    assert row is not None
    assert "at-1" not in str(row) and "rt-1" not in str(row)
    user = await runtime.store.users.get("crm-7-fakeoauth", "fakeoauth")
    assert user is not None and user.accessToken == "at-1" and user.timezoneOffset == "-5"


async def test_due_token_is_refreshed_once_under_concurrency(
    client: AsyncTestClient[Litestar], runtime: Runtime, token_server: tuple[TokenServer, str]
) -> None:
    server, _ = token_server
    jwt = await _oauth_login(client)
    await _expire_soon(runtime, "crm-7-fakeoauth")
    responses = await asyncio.gather(
        *(
            client.get("/contact", params={"phoneNumber": f"+1650555{i:04d}"}, headers=bearer(jwt))
            for i in range(10)
        )
    )
    assert all(r.status_code == 200 and r.json()["successful"] for r in responses)
    assert len(server.refresh_calls) == 1
    assert server.auth_headers[-1].startswith("Basic ")
    user = await runtime.store.users.get("crm-7-fakeoauth", "fakeoauth")
    assert user is not None and user.accessToken == "at-2" and user.refreshToken == "rt-2"
    connector = runtime.registry.get_connector("fakeoauth")
    assert set(connector.seen) == {"Bearer at-2"}


async def test_token_not_due_is_not_refreshed(
    client: AsyncTestClient[Litestar], token_server: tuple[TokenServer, str]
) -> None:
    server, _ = token_server
    jwt = await _oauth_login(client)
    response = await client.get("/contact", params={"phoneNumber": "+16505550100"}, headers=bearer(jwt))
    assert response.json()["successful"] is True
    assert server.refresh_calls == []


async def test_invalid_grant_revokes_the_session(
    client: AsyncTestClient[Litestar], runtime: Runtime, token_server: tuple[TokenServer, str]
) -> None:
    server, _ = token_server
    jwt = await _oauth_login(client)
    await _expire_soon(runtime, "crm-7-fakeoauth")
    server.valid_refresh.clear()
    response = await client.get("/contact", params={"phoneNumber": "+16505550100"}, headers=bearer(jwt))
    assert response.status_code == 401
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": "User session expired. Please connect again.", "messageType": "warning", "ttl": 5000},
        "errorCode": "CRM_SESSION_REVOKED",
    }
    assert await runtime.store.users.get("crm-7-fakeoauth", "fakeoauth") is not None, "the row is not deleted"


async def test_invalid_grant_after_another_worker_rotated_proceeds(
    client: AsyncTestClient[Litestar], runtime: Runtime, token_server: tuple[TokenServer, str]
) -> None:
    server, _ = token_server
    jwt = await _oauth_login(client)
    await _expire_soon(runtime, "crm-7-fakeoauth")
    server.valid_refresh.clear()
    original_post = runtime.http.post

    async def rotate_then_post(*args: Any, **kwargs: Any) -> Any:
        # Another worker refreshes between our read and our token request.
        user = await runtime.store.users.get("crm-7-fakeoauth", "fakeoauth")
        assert user is not None
        user.accessToken, user.refreshToken = "at-other", "rt-other"
        await user.save()
        return await original_post(*args, **kwargs)

    runtime.http.post = rotate_then_post  # type: ignore[method-assign]
    try:
        response = await client.get("/contact", params={"phoneNumber": "+16505550100"}, headers=bearer(jwt))
    finally:
        runtime.http.post = original_post  # type: ignore[method-assign]
    assert response.status_code == 200 and response.json()["successful"] is True
    assert runtime.registry.get_connector("fakeoauth").seen[-1] == "Bearer at-other"


async def test_refresh_server_error_is_a_warning_not_a_crash(
    client: AsyncTestClient[Litestar], runtime: Runtime, token_server: tuple[TokenServer, str]
) -> None:
    server, _ = token_server
    jwt = await _oauth_login(client)
    await _expire_soon(runtime, "crm-7-fakeoauth")
    server.fail_with = 503
    response = await client.get("/contact", params={"phoneNumber": "+16505550100"}, headers=bearer(jwt))
    assert response.status_code == 200
    assert response.json()["successful"] is False
    assert response.json()["returnMessage"]["messageType"] == "warning"


async def test_oauth_callback_errors(client: AsyncTestClient[Litestar]) -> None:
    missing = await client.get("/oauth-callback")
    assert missing.status_code == 400 and missing.json()["error"] == "Missing callbackUri"
    no_platform = await client.get("/oauth-callback", params={"callbackUri": "https://x/cb?code=1"})
    assert no_platform.json()["error"] == "Missing platform name"
    bad_code = await client.get(
        "/oauth-callback",
        params={"callbackUri": "https://app.example.com/oauth-callback?code=bad&state=platform%3Dfakeoauth"},
    )
    assert bad_code.status_code == 400 and bad_code.json()["successful"] is False
