"""The connector registers, exposes every interface it claims, and its surface is pinned."""

from __future__ import annotations

import msgspec

import composer.compose
import connectors.local
from composer.store import Database, UserRecord
from connectors import ConnectorRegistry, call_interface, has_interface
from connectors.local import (
    MANIFEST,
    PLATFORM,
    RELEASE_NOTES,
    LocalConnector,
    build_local_connector,
    build_manifest,
)

IMPLEMENTED = {
    "getAuthType",
    "getBasicAuth",
    "getUserInfo",
    "unAuthorize",
    "authValidation",
    "getLicenseStatus",
    "findContact",
    "findContactWithName",
    "createContact",
    "getLogFormatType",
    "createCallLog",
    "updateCallLog",
    "getCallLog",
    "upsertCallDisposition",
    "createMessageLog",
    "updateMessageLog",
    "listAppointments",
    "createAppointment",
    "updateAppointment",
    "refreshAppointment",
    "confirmAppointment",
    "cancelAppointment",
    "getUserList",
}


def test_public_surface() -> None:
    assert sorted(connectors.local.__all__) == [
        "ActivityView",
        "ContactView",
        "LOG_FORMATS",
        "LOG_FORMAT_SETTING",
        "LocalConnector",
        "LogBodies",
        "MANIFEST",
        "MessageLogBody",
        "PLATFORM",
        "PhoneView",
        "RELEASE_NOTES",
        "build_local_connector",
        "build_manifest",
        "local_user_id",
        "render_local_page",
    ]


async def test_registers_with_its_manifest(db: Database, user: UserRecord) -> None:
    registry = ConnectorRegistry()
    connector, manifest = build_local_connector(db, bodies=composer.compose, default_region="US")
    registry.register_connector(PLATFORM, connector, manifest=manifest)
    resolved = registry.get_connector("local")
    assert resolved is connector
    assert {name for name in IMPLEMENTED if has_interface(resolved, name)} == IMPLEMENTED
    assert not has_interface(resolved, "getOauthInfo")
    capabilities = await registry.get_connector_capabilities("local")
    assert capabilities["authType"] == "apiKey"
    platform = registry.get_manifest("local", True)["platforms"]["local"]
    assert platform["name"] == "local" and platform["displayName"] == "Local CRM"
    # Through core's calling helper: keyword arguments, results as builtins.
    result = await call_interface(
        resolved, "findContact", user=user, phoneNumber="+16505550100", isExtension=False
    )
    assert result["successful"] is True


def test_manifest_shape() -> None:
    platform = MANIFEST["platforms"]["local"]
    assert platform["auth"] == {
        "type": "apiKey",
        "apiKey": {
            "page": {
                "title": "Local CRM",
                "warning": platform["auth"]["apiKey"]["page"]["warning"],
                "content": [{"const": "apiKey", "title": "API key", "type": "string", "required": True}],
            }
        },
    }
    assert platform["contactTypes"] == [
        {"display": "Contact", "value": "Contact"},
        {"display": "Lead", "value": "Lead"},
    ]
    [section] = platform["settings"]
    [item] = section["items"]
    assert item["id"] == "localLogFormat"
    assert [o["id"] for o in item["options"]] == ["text/plain", "text/html", "text/markdown"]
    assert MANIFEST["author"]["name"]
    assert "contactPageUrl" not in platform
    msgspec.json.encode(MANIFEST)
    msgspec.json.encode(RELEASE_NOTES)
    for items in RELEASE_NOTES.values():
        assert all({"type", "description"} <= set(note) for note in items["local"])


def test_build_manifest_with_a_server_url() -> None:
    manifest = build_manifest("https://crm.example/")
    platform = manifest["platforms"]["local"]
    assert manifest["serverUrl"] == "https://crm.example"
    assert platform["contactPageUrl"] == "https://crm.example/local/?contactId={contactId}"
    assert platform["logPageUrl"] == "https://crm.example/local/?activityId={logId}"
    assert "contactPageUrl" not in MANIFEST["platforms"]["local"]  # the constant is never touched


def test_connector_class_is_the_exported_one() -> None:
    assert connectors.local.LocalConnector is LocalConnector
