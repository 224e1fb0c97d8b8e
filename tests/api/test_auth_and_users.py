"""Login, logout, metadata and user settings routes (spec §8)."""

from __future__ import annotations

import hashlib

from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.services.runtime import Runtime
from tests.api.conftest import bearer, login


async def test_api_key_login_errors(client: AsyncTestClient[Litestar]) -> None:
    missing = await client.post("/apiKeyLogin", json={"apiKey": "x"})
    assert missing.status_code == 400 and missing.json()["error"] == "Missing platform name"
    empty_key = await client.post("/apiKeyLogin", json={"platform": "local", "apiKey": ""})
    assert empty_key.status_code == 400 and "returnMessage" in empty_key.json()
    unknown = await client.post("/apiKeyLogin", json={"platform": "nosuchcrm", "apiKey": "k"})
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "Connector not found for platform: nosuchcrm"
    not_json = await client.post("/apiKeyLogin", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"].startswith("Invalid login request")


async def test_api_key_is_encrypted_at_rest(client: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    jwt = await login(client, api_key="very-secret-key")
    claims = runtime.tokens.verify(jwt)
    assert claims is not None
    row = await runtime.store.users.raw_row(claims.id)
    assert row is not None and "very-secret-key" not in str(row)


async def test_unauthorize_blanks_tokens_and_then_user_has_no_credentials(
    client: AsyncTestClient[Litestar], jwt: str, runtime: Runtime
) -> None:
    response = await client.post("/unAuthorize", headers=bearer(jwt))
    assert response.status_code == 200 and response.json()["messageType"] == "success"
    claims = runtime.tokens.verify(jwt)
    assert claims is not None
    user = await runtime.store.users.get(claims.id, "local")
    assert user is not None and user.accessToken == "" and user.refreshToken == ""
    contact = (await client.get("/contact", params={"phoneNumber": "+1650"}, headers=bearer(jwt))).json()
    assert contact == {"successful": False, "returnMessage": {"message": "Contact not found", "messageType": "warning", "ttl": 5000}}


async def test_auth_validation_license_and_hostname(client: AsyncTestClient[Litestar], jwt: str) -> None:
    validation = await client.get("/authValidation", headers=bearer(jwt))
    assert validation.status_code == 200 and validation.json()["successful"] is True
    license_status = await client.get("/licenseStatus", headers=bearer(jwt))
    assert license_status.json()["isLicenseValid"] is True
    host = await client.get("/hostname", headers=bearer(jwt))
    assert host.status_code == 200 and host.headers["content-type"].startswith("text/plain")


async def test_implemented_interfaces(client: AsyncTestClient[Litestar]) -> None:
    missing = await client.get("/implementedInterfaces")
    assert missing.status_code == 400 and missing.json()["error"] == "Please provide platform."
    local = (await client.get("/implementedInterfaces", params={"platform": "local"})).json()
    assert local["createCallLog"] is True and local["getBasicAuth"] is True
    assert "getOauthInfo" not in local and local["cacheCallNote"] is True
    unknown = await client.get("/implementedInterfaces", params={"platform": "nosuch"})
    assert unknown.status_code == 400 and unknown.json()["successful"] is False


async def test_manifest_and_release_notes(client: AsyncTestClient[Litestar]) -> None:
    manifest = (await client.get("/crmManifest")).json()
    assert "local" in manifest["platforms"] and manifest["author"]["name"]
    local = (await client.get("/crmManifest", params={"platformName": "local"})).json()
    assert "local" in local["platforms"]
    missing = await client.get("/crmManifest", params={"platformName": "nosuch"})
    assert missing.status_code == 400 and missing.json()["error"] == "Platform not found"
    notes = (await client.get("/releaseNotes")).json()
    assert isinstance(notes, dict) and all("global" in v for v in notes.values())


async def test_user_info_hash(client: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    body = (await client.get("/userInfoHash", params={"extensionId": "101"})).json()
    key = runtime.keys.hash_key
    assert body["extensionId"] == hashlib.sha256(f"101:{key}".encode()).hexdigest()
    assert body["accountId"] == hashlib.sha256(f"undefined:{key}".encode()).hexdigest()


async def test_settings_round_trip_and_removal(client: AsyncTestClient[Litestar], jwt: str) -> None:
    assert (await client.get("/user/settings", headers=bearer(jwt))).json() == {}
    saved = await client.post(
        "/user/settings",
        json={"userSettings": {"localLogFormat": {"value": "text/html"}, "addCallSessionId": {"value": True}}},
        headers=bearer(jwt),
    )
    assert saved.json() == {
        "userSettings": {"localLogFormat": {"value": "text/html"}, "addCallSessionId": {"value": True}}
    }
    removed = await client.post("/user/settings", json={"settingKeysToRemove": ["addCallSessionId"]}, headers=bearer(jwt))
    assert removed.json() == {"userSettings": {"localLogFormat": {"value": "text/html"}}}
    assert (await client.get("/user/settings", headers=bearer(jwt))).json() == removed.json()["userSettings"]


async def test_admin_settings_merge(client: AsyncTestClient[Litestar], jwt: str, runtime: Runtime) -> None:
    await client.post("/user/settings", json={"userSettings": {"a": {"value": 1}, "b": {"value": 2}}}, headers=bearer(jwt))
    await runtime.store.admin.upsert(
        "acct-hash",
        user_settings={"a": {"value": 10, "customizable": False}, "b": {"value": 20, "customizable": True}, "c": {"isRemoved": True}},
    )
    merged = (await client.get("/user/settings", params={"rcAccountId": "acct-hash"}, headers=bearer(jwt))).json()
    assert merged["a"] == {"value": 10, "customizable": False}
    assert merged["b"]["value"] == 2 and merged["b"]["customizable"] is True
    assert "c" not in merged
    preload = (await client.get("/user/preloadSettings", params={"rcAccountId": "acct-hash"})).json()
    assert preload["userSettings"]["a"]["value"] == 10
    none = await client.get("/user/preloadSettings")
    assert none.status_code == 400 and none.json()["error"] == "Cannot find rc user login"


async def test_refresh_info_without_connector_hook(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.post("/user/refreshInfo", headers=bearer(jwt))
    assert response.status_code == 200 and response.json() == {"successful": True}


async def test_deferred_routes_answer_501(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get("/calldown", headers=bearer(jwt))
    assert response.status_code == 501
    assert response.json()["error"] == "Not implemented"


async def test_unknown_route_is_json_404(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404 and response.json()["successful"] is False


async def test_oversized_body_is_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from composer.app import create_app
    from tests.api.conftest import make_settings

    app = create_app(make_settings(tmp_path, max_body_bytes=2048))
    async with AsyncTestClient(app=app) as small:
        response = await small.post("/apiKeyLogin", json={"platform": "local", "apiKey": "x" * 5000})
        assert response.status_code == 413 and response.json()["successful"] is False
