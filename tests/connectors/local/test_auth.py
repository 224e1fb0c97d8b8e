"""Login, logout and account interfaces of the local CRM."""

from __future__ import annotations

import base64

from composer.store import UserRecord, UserStore
from connectors.local import LocalConnector, local_user_id


def test_auth_type_and_basic_auth(connector: LocalConnector) -> None:
    assert connector.getAuthType() == "apiKey"
    assert connector.getAuthType(proxyId=None, proxyConfig=None) == "apiKey"
    assert connector.getBasicAuth(apiKey="abc") == base64.b64encode(b"abc:").decode()


async def test_any_non_empty_key_logs_in_as_a_stable_user(connector: LocalConnector) -> None:
    first = await connector.getUserInfo(apiKey="my-key", hostname="", platform="local", additionalInfo={})
    again = await connector.getUserInfo(apiKey="my-key", authHeader="Basic x", proxyId=None)
    other = await connector.getUserInfo(apiKey="another-key")
    assert first["successful"] is True
    info = first["platformUserInfo"]
    assert info["id"] == local_user_id("my-key") == again["platformUserInfo"]["id"]
    assert info["id"].endswith("-local") and len(info["id"]) == 16 + len("-local")
    assert info["name"] == f"Local user {info['id'][:4]}"
    assert info["timezoneOffset"] == "+00:00"
    assert other["platformUserInfo"]["id"] != info["id"]
    assert first["returnMessage"]["messageType"] == "success"


async def test_key_from_additional_info(connector: LocalConnector) -> None:
    result = await connector.getUserInfo(additionalInfo={"apiKey": "k2"})
    assert result["platformUserInfo"]["id"] == local_user_id("k2")


async def test_empty_key_is_refused_not_raised(connector: LocalConnector) -> None:
    for key in ("", "   ", None):
        result = await connector.getUserInfo(apiKey=key, additionalInfo={})
        assert result == {
            "successful": False,
            "returnMessage": {"message": "Please enter an API key", "messageType": "warning", "ttl": 3000},
        }


async def test_unauthorize_blanks_and_saves_tokens(
    connector: LocalConnector, user: UserRecord, users: UserStore
) -> None:
    user.refreshToken = "r"
    await user.save()
    result = await connector.unAuthorize(user=user)
    assert result == {
        "returnMessage": {"message": "Logged out of local CRM", "messageType": "success", "ttl": 1000}
    }
    stored = await users.get(user.id, "local")
    assert stored is not None and stored.accessToken == "" and stored.refreshToken == ""


async def test_unauthorize_reports_a_failed_save(connector: LocalConnector) -> None:
    unbound = UserRecord(id="x-local", platform="local", accessToken="k")  # save() raises
    result = await connector.unAuthorize(user=unbound)
    assert result["successful"] is False
    assert result["returnMessage"]["message"] == "Database operation failed"
    assert unbound.accessToken == ""


async def test_auth_validation(connector: LocalConnector, user: UserRecord) -> None:
    assert await connector.authValidation(user=user) == {"successful": True, "status": 200}
    user.accessToken = ""
    result = await connector.authValidation(user=user)
    assert result["successful"] is False and result["status"] == 401


async def test_license_and_user_list(connector: LocalConnector, user: UserRecord) -> None:
    status = await connector.getLicenseStatus(userId=user.id, platform="local", user=user)
    assert status == {"isLicenseValid": True, "licenseStatus": "Basic", "licenseStatusDescription": ""}
    assert await connector.getUserList(user=user, authHeader="", proxyConfig=None) == [
        {"id": user.id, "name": f"Local user {user.id[:4]}", "email": ""}
    ]
