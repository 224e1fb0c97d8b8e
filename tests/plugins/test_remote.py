"""Remote plugins (App Connect's plugin-server protocol) through the one adapter, end to end.

A real fake plugin server and a fake RingCentral API run on 127.0.0.1; the app is the real
HTTP app with the local CRM.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from composer.settings import Settings
from tests.pipeline._helpers import eventually, settings_for, value
from tests.plugins._fake_plugin_server import PluginServer, plugin_server
from tests.plugins._load import REPO_PLUGINS
from tests.plugins.conftest import App, call_body

ADMIN = {"X-RC-Access-Token": "admin-token"}


@pytest.fixture
def server() -> Iterator[PluginServer]:
    with plugin_server() as running_server:
        yield running_server


@pytest.fixture
def app_settings(tmp_path: Path, plugins_dir: Path, server: PluginServer) -> Settings:
    return settings_for(
        tmp_path, plugins_dir=plugins_dir, ringcentral_server=server.base, plugin_catalog_url=f"{server.base}/catalog"
    )


async def register(app: App, server: PluginServer, plugin_id: str = "checker", **extra: Any) -> Any:
    body: dict[str, Any] = {"pluginId": plugin_id, "rcAccountId": "acc-1", "pluginName": "Checker"}
    if "manifest" not in extra and "manifestUrl" not in extra and not extra.pop("from_catalog", False):
        body["manifest"] = server.manifest(is_async=plugin_id.startswith("async"))
    body.update(extra)
    return await app.client.post("/plugin/register", json=body, headers=ADMIN)


async def logged_in(app: App) -> dict[str, str]:
    return await app.login(rc_token="user-token")  # the user's rcAccountId becomes acc-1


# ------------------------------------------------------------------ registration


async def test_register_stores_the_manifest_and_the_encrypted_token_apart(app: App, server: PluginServer) -> None:
    response = await register(app, server)
    assert (response.status_code, response.json()) == (200, {"successful": True})
    ((_, body),) = server.seen("/register")
    assert body == {"rcAccessToken": "admin-token", "rcAccountId": "acc-1"}
    installation = await app.rt.store.remote_plugins.get("checker", "acc-1")
    assert installation is not None and installation.manifest["endpointUrl"].endswith("/sync")
    assert "jwtToken" not in str(installation.manifest)
    row = await app.rt.store.db.fetch_one("SELECT jwt_token FROM plugin_credentials")
    assert row is not None and row["jwt_token"].startswith("v2:") and "plugin-jwt" not in row["jwt_token"]
    assert await app.rt.store.remote_plugins.token("checker", "acc-1") == "plugin-jwt-1"


async def test_register_accepts_the_hashed_account_id_and_a_manifest_url_or_the_catalog(app: App, server: PluginServer) -> None:
    hashed = app.rt.hash("acc-1")
    first = await register(app, server, "from_url", rcAccountId=hashed, manifestUrl=f"{server.base}/manifests/from_url")
    second = await register(app, server, "from_catalog", from_catalog=True, pluginAccess="private")
    assert first.json() == second.json() == {"successful": True}
    catalog_calls = [h for h, _ in server.seen("/catalog/from_catalog/manifest")]
    assert len(catalog_calls) == 1
    assert await app.rt.store.remote_plugins.get("from_url", "acc-1") is not None


@pytest.mark.parametrize(
    ("headers", "body", "status", "why"),
    [
        ({"X-RC-Access-Token": "user-token"}, {}, 403, None),
        ({}, {}, 403, None),
        (ADMIN, {"pluginId": ""}, 400, "pluginId is required"),
        (ADMIN, {"rcAccountId": "acc-2"}, 400, "rcAccountId does not match the RingCentral token"),
        (ADMIN, {"manifest": {"endpointUrl": "ftp://x"}}, 400, "invalid plugin manifest: endpointUrl must be an http(s) URL"),
        (ADMIN, {"manifest": {"endpointUrl": "https://x"}}, 400, "invalid plugin manifest: userRegisterEndpointUrl is required"),
        (ADMIN, {"manifest": None, "manifestUrl": "http://127.0.0.1:9/m"}, 400, "The manifest URL could not be reached"),
    ],
)
async def test_register_refusals(
    app: App, server: PluginServer, headers: dict[str, str], body: dict[str, Any], status: int, why: str | None
) -> None:
    payload = {"pluginId": "checker", "rcAccountId": "acc-1", "manifest": server.manifest(), **body}
    response = await app.client.post("/plugin/register", json=payload, headers=headers)
    assert response.status_code == status, response.text
    if why is not None:
        assert response.json() == {"successful": False, "returnMessage": why}
    assert await app.rt.store.remote_plugins.get("checker", "acc-1") is None


async def test_a_plugin_server_refusing_registration_installs_nothing(app: App, server: PluginServer) -> None:
    server.register_status = 401
    response = await register(app, server)
    assert response.json() == {"successful": False, "returnMessage": "The plugin server refused the registration (HTTP 401)"}


# ------------------------------------------------------------------ sync plugins


@pytest.mark.parametrize("plugin_files", [{"redact_pci.py": (REPO_PLUGINS / "redact_pci.py").read_text()}], indirect=True)
async def test_a_sync_remote_plugin_transforms_the_log_after_local_redaction(app: App, server: PluginServer) -> None:
    await register(app, server)
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    body = call_body(contact_id, note="card 4111 1111 1111 1111", hashedExtensionId="hash-ext")
    answer = (await app.client.post("/callLog", json=body, headers=headers)).json()
    assert answer["successful"] is True, answer
    ((sent_headers, sent),) = server.seen("/sync")
    assert sent_headers["authorization"] == "Bearer plugin-jwt-1"
    assert sent["data"]["note"] == "card [card number redacted]"  # redacted before it left the server
    assert sent["data"]["logInfo"]["sessionId"] == "s-1" and sent["data"]["contactId"] == contact_id
    assert set(sent) == {"data", "config", "hashedExtensionId"}
    (activity,) = await app.activities(headers)
    assert "card [card number redacted] [checked]" in activity["body"]


async def test_the_remote_plugin_gets_its_config_and_can_be_disabled_per_account(app: App, server: PluginServer) -> None:
    await register(app, server)
    headers = await logged_in(app)
    config = {"userSettings": {"plugin_checker": {"value": {"config": {"strict": {"value": True}}}}}}
    await app.client.post("/user/settings", json=config, headers=headers)
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    ((_, sent),) = server.seen("/sync")
    assert sent["config"] == {"strict": {"value": True}}
    off = {"userSettings": {"plugin_checker": {"value": {"enabled": False}}}}
    await app.client.post("/user/settings", json=off, headers=headers)
    await app.client.post("/callLog", json=call_body(contact_id, session_id="s-2"), headers=headers)
    assert len(server.seen("/sync")) == 1


async def test_a_refreshed_plugin_token_is_kept_and_the_manifest_survives(app: App, server: PluginServer) -> None:
    await register(app, server)
    server.refresh_token_once = "plugin-jwt-2"
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    await app.client.post("/callLog", json=call_body(contact_id, session_id="s-2"), headers=headers)
    assert [h["authorization"] for h, _ in server.seen("/sync")] == ["Bearer plugin-jwt-1", "Bearer plugin-jwt-2"]
    installation = await app.rt.store.remote_plugins.get("checker", "acc-1")
    assert installation is not None and installation.manifest["endpointUrl"].endswith("/sync")


async def test_a_failing_remote_plugin_is_skipped_with_a_warning(app: App, server: PluginServer) -> None:
    await register(app, server)
    server.sync_status = 502
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    answer = (await app.client.post("/callLog", json=call_body(contact_id), headers=headers)).json()
    assert answer["successful"] is True
    details = answer["returnMessage"]["details"][-1]
    assert details["title"] == "Plugin warnings"
    assert "remote.checker skipped: failed: RemotePluginError: plugin server answered HTTP 502" in details["items"][0]["text"]
    (activity,) = await app.activities(headers)
    assert "[checked]" not in activity["body"]


async def test_users_of_other_accounts_are_not_affected(app: App, server: PluginServer) -> None:
    await register(app, server)
    headers = await app.login(api_key="someone-else")  # no RingCentral account
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    assert server.seen("/sync") == []


# ------------------------------------------------------------------ async plugins


async def dispatched(server: PluginServer) -> dict[str, Any]:
    seen = await eventually(lambda: value(server.seen("/async")))
    body: dict[str, Any] = seen[0][1]
    return body


async def test_an_async_plugin_completes_through_the_callback(app: App, server: PluginServer) -> None:
    await register(app, server, "async_summary")
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    answer = (await app.client.post("/callLog", json=call_body(contact_id), headers=headers)).json()
    assert answer["successful"] is True
    sent = await dispatched(server)
    task_id = sent["asyncTaskId"]
    assert len(task_id) >= 22 and sent["callbackUrl"].endswith(f"/plugin/async-callback/{task_id}")
    assert sent["data"]["note"] == "Discussed renewal"
    assert len(server.seen("/token/sync")) == 1  # the token was synced before dispatch
    response = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": True, "note": "AI: renewal agreed"})
    assert (response.status_code, response.json()) == (200, {"successful": True})
    (activity,) = await app.activities(headers)
    assert "Discussed renewal\n\nAI: renewal agreed" in activity["body"]
    again = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": True, "note": "x"})
    assert (again.status_code, again.json()) == (404, {"successful": False, "message": "Async task not found"})
    assert len(server.seen("/async")) == 1  # the callback's update did not dispatch the plugin again


async def test_async_callback_failures_and_validation(app: App, server: PluginServer) -> None:
    await register(app, server, "async_summary")
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    task_id = (await dispatched(server))["asyncTaskId"]
    bad = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": "yes"})
    assert (bad.status_code, bad.json()) == (400, {"successful": False, "message": "successful is required"})
    garbage = await app.client.post(f"/plugin/async-callback/{task_id}", content=b"{nope", headers={"content-type": "application/json"})
    assert garbage.status_code == 400
    unknown = await app.client.post("/plugin/async-callback/not-a-task", json={"successful": True})
    assert unknown.status_code == 404
    failed = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": False, "message": "model down"})
    assert (failed.status_code, failed.json()) == (200, {"successful": True})
    closed = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": True, "note": "late"})
    assert closed.status_code == 404
    (activity,) = await app.activities(headers)
    assert "late" not in activity["body"]


async def test_async_task_ids_are_unguessable_and_stored_only_as_digests(app: App, server: PluginServer) -> None:
    await register(app, server, "async_summary")
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    for session in ("s-1", "s-2"):
        await app.client.post("/callLog", json=call_body(contact_id, session_id=session), headers=headers)
    await eventually(lambda: value(len(server.seen("/async")) == 2))
    ids = [body["asyncTaskId"] for _, body in server.seen("/async")]
    assert len(set(ids)) == 2 and all(len(i) == 43 for i in ids)  # 256 bits, base64url
    rows = await app.rt.store.db.fetch_all("SELECT id_hash FROM plugin_async_tasks")
    assert {r["id_hash"] for r in rows}.isdisjoint(ids)


# ------------------------------------------------------------------ license and removal


async def test_license_status(app: App, server: PluginServer) -> None:
    assert (await app.client.get("/plugin/licenseStatus?rcAccountId=acc-1&pluginId=checker")).status_code == 400  # J
    headers = await logged_in(app)
    nothing = await app.client.get("/plugin/licenseStatus?rcAccountId=acc-1&pluginId=checker", headers=headers)
    assert (nothing.status_code, nothing.json()) == (200, None)
    await register(app, server)
    status = await app.client.get("/plugin/licenseStatus?rcAccountId=acc-1&pluginId=checker", headers=headers)
    assert status.json() == {"isLicenseValid": True, "licenseStatus": "Pro", "licenseStatusDescription": "paid"}
    ((license_headers, _),) = server.seen("/license")
    assert license_headers["authorization"] == "Bearer plugin-jwt-1"
    other = await app.client.get("/plugin/licenseStatus?rcAccountId=acc-2&pluginId=checker", headers=headers)
    assert other.json() is None


async def test_unregister_removes_installation_credential_and_settings(app: App, server: PluginServer) -> None:
    await register(app, server)
    headers = await logged_in(app)
    setting = {"userSettings": {"plugin_checker": {"value": {"config": {}}}, "other": {"value": 1}}}
    await app.client.post("/user/settings", json=setting, headers=headers)
    forbidden = await app.client.delete("/plugin/unregister?pluginId=checker&rcAccountId=acc-1", headers={"X-RC-Access-Token": "user-token"})
    assert forbidden.status_code == 403
    response = await app.client.delete("/plugin/unregister?pluginId=checker&rcAccountId=acc-1", headers=ADMIN)
    assert (response.status_code, response.json()) == (200, {"successful": True})
    assert await app.rt.store.remote_plugins.get("checker", "acc-1") is None
    assert await app.rt.store.remote_plugins.token("checker", "acc-1") is None
    settings = (await app.client.get("/user/settings", headers=headers)).json()
    assert "plugin_checker" not in settings and "other" in settings
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    assert server.seen("/sync") == []


async def test_a_failed_crm_update_answers_500_and_the_plugin_may_call_again(
    app: App, server: PluginServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(app, server, "async_summary")
    headers = await logged_in(app)
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    task_id = (await dispatched(server))["asyncTaskId"]

    async def crm_down(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"successful": False}

    monkeypatch.setattr("composer.services.plugin_callbacks.update_call_log", crm_down)
    failed = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": True, "note": "AI: later"})
    assert (failed.status_code, failed.json()) == (500, {"successful": False, "message": "Failed to update the call log"})
    monkeypatch.undo()
    retried = await app.client.post(f"/plugin/async-callback/{task_id}", json={"successful": True, "note": "AI: later"})
    assert retried.json() == {"successful": True}
    (activity,) = await app.activities(headers)
    assert activity["body"].count("AI: later") == 1
