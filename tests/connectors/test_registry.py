"""Registry composition rules (connectors spec §5)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from connectors import ConnectorRegistry, call_interface


def _connector(**extra: Any) -> SimpleNamespace:
    return SimpleNamespace(
        createCallLog=lambda **kw: {"logId": "base"},
        updateCallLog=lambda **kw: {"returnMessage": None},
        **extra,
    )


def test_register_and_get_returns_same_object() -> None:
    reg = ConnectorRegistry()
    base = _connector()
    reg.register_connector("crm", base)
    assert reg.get_connector("crm") is base
    assert reg.is_registered("crm")
    assert reg.get_registered_platforms() == ["crm"]


def test_missing_required_method_is_refused() -> None:
    reg = ConnectorRegistry()
    with pytest.raises(
        ValueError, match="Connector incompletePlatform missing required method: updateCallLog"
    ):
        reg.register_connector("incompletePlatform", SimpleNamespace(createCallLog=lambda **kw: None))


def test_interface_must_be_callable() -> None:
    reg = ConnectorRegistry()
    with pytest.raises(TypeError, match="Interface function must be a function, got: str"):
        reg.register_interface("crm", "findContact", "nope")  # type: ignore[arg-type]


async def test_registered_interface_fills_gaps_but_never_overrides() -> None:
    reg = ConnectorRegistry()
    base = _connector()
    reg.register_connector("crm", base)
    reg.register_interface("crm", "findContact", lambda **kw: {"matchedContactInfo": [{"id": 1}]})
    reg.register_interface("crm", "createCallLog", lambda **kw: {"logId": "override"})
    view = reg.get_connector("crm")
    assert view is not base
    assert (await call_interface(view, "createCallLog"))["logId"] == "base"
    assert (await call_interface(view, "findContact"))["matchedContactInfo"] == [{"id": 1}]
    assert not hasattr(base, "findContact"), "the base connector must not be mutated"
    assert reg.get_connector("crm") is not view, "composed views are not cached"


def test_interface_registered_before_connector_is_composed_later() -> None:
    reg = ConnectorRegistry()
    reg.register_interface("crm", "getAuthType", lambda **kw: "apiKey")
    only = reg.get_connector("crm")
    assert callable(only.getAuthType) and not hasattr(only, "createCallLog")
    assert not reg.is_registered("crm"), "interface-only platforms are not registered"
    reg.register_connector("crm", _connector())
    assert reg.get_connector("crm").getAuthType() == "apiKey"


def test_unregister_connector_clears_interfaces_and_manifest() -> None:
    reg = ConnectorRegistry()
    reg.register_connector("crm", _connector(), manifest={"platforms": {}})
    reg.register_interface("crm", "findContact", lambda **kw: None)
    reg.unregister_connector("crm")
    assert reg.get_platform_interfaces("crm") == {}
    with pytest.raises(LookupError, match="Manifest not found for platform: crm"):
        reg.get_manifest("crm")
    reg.unregister_interface("crm", "absent")  # no-op


def test_unknown_platform_without_proxy_and_with_proxy() -> None:
    reg = ConnectorRegistry()
    with pytest.raises(LookupError, match="Connector not found for platform: nonExistentPlatform"):
        reg.get_connector("nonExistentPlatform")
    proxy = _connector()
    reg.register_connector("proxy", proxy)
    assert reg.get_connector("nonExistentPlatform") is proxy
    with pytest.raises(LookupError, match="Connector not found for platform: nonExistentPlatform"):
        reg.get_original_connector("nonExistentPlatform")


def test_manifest_fallback_rules() -> None:
    reg = ConnectorRegistry()
    with pytest.raises(LookupError):
        reg.get_manifest("x", True)
    reg.set_default_manifest({"author": {"name": "a"}})
    assert reg.get_manifest("x", True) == {"author": {"name": "a"}}
    with pytest.raises(LookupError):
        reg.get_manifest("x")


async def test_capabilities_awaits_get_auth_type_and_reports_unknown_on_error() -> None:
    async def auth_type(**kw: Any) -> str:
        return "oauth"

    def broken(**kw: Any) -> str:
        raise RuntimeError("boom")

    reg = ConnectorRegistry()
    reg.register_connector("a", _connector(getAuthType=auth_type))
    reg.register_connector("b", _connector(getAuthType=broken))
    reg.register_interface("a", "findContact", lambda **kw: None)
    caps = await reg.get_connector_capabilities("a")
    assert caps["authType"] == "oauth"
    assert caps["composedMethods"] == ["findContact"]
    assert (await reg.get_connector_capabilities("b"))["authType"] == "unknown"


def test_release_notes_round_trip() -> None:
    reg = ConnectorRegistry()
    reg.set_release_notes({"1.0.0": {"crm": []}})
    assert reg.get_release_notes() == {"1.0.0": {"crm": []}}
