"""The connector registry: whole connectors, single interface functions, manifests, release notes.

Resolution of ``get_connector(p)``:
1. nothing registered for ``p`` (no connector, no interfaces): the connector registered as
   ``proxy``, returned as is; else ``LookupError``;
2. interfaces only: a new namespace holding exactly those functions;
3. a connector only: the connector itself;
4. both: a new composed view per call in which the base connector always wins; registered
   functions only fill gaps. The base object is never copied or mutated.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from connectors.contract import INTERFACE_NAMES, REQUIRED_INTERFACES

__all__ = ["ComposedConnector", "ConnectorRegistry"]

PROXY_PLATFORM = "proxy"


class ComposedConnector:
    """A read-only view: base members first, registered interfaces for the gaps."""

    __slots__ = ("_base", "_interfaces")

    def __init__(self, base: object, interfaces: Mapping[str, Callable[..., Any]]) -> None:
        self._base = base
        self._interfaces = dict(interfaces)

    def __getattr__(self, name: str) -> Any:
        base = object.__getattribute__(self, "_base")
        member = getattr(base, name, None)
        if member is not None and (callable(member) or name == "accountData"):
            return member
        interfaces = object.__getattribute__(self, "_interfaces")
        if name in interfaces:
            return interfaces[name]
        if member is not None:
            return member
        raise AttributeError(name)


class ConnectorRegistry:
    def __init__(self) -> None:
        self._connectors: dict[str, object] = {}
        self._interfaces: dict[str, dict[str, Callable[..., Any]]] = {}
        self._manifests: dict[str, dict[str, Any]] = {}
        self._release_notes: dict[str, Any] = {}

    # -- registration -------------------------------------------------------------------
    def set_default_manifest(self, manifest: dict[str, Any]) -> None:
        self._manifests["default"] = manifest

    def register_connector(self, platform: str, connector: object, manifest: dict[str, Any] | None = None) -> None:
        for name in REQUIRED_INTERFACES:
            if not callable(getattr(connector, name, None)):
                raise ValueError(f"Connector {platform} missing required method: {name}")
        self._connectors[platform] = connector
        if manifest is not None:
            self._manifests[platform] = manifest

    def register_interface(self, platform: str, name: str, fn: Callable[..., Any]) -> None:
        if not callable(fn):
            raise TypeError(f"Interface function must be a function, got: {type(fn).__name__}")
        self._interfaces.setdefault(platform, {})[name] = fn

    def unregister_interface(self, platform: str, name: str) -> None:
        self._interfaces.get(platform, {}).pop(name, None)

    def unregister_connector(self, platform: str) -> None:
        self._connectors.pop(platform, None)
        self._manifests.pop(platform, None)
        self._interfaces.pop(platform, None)

    # -- lookup -----------------------------------------------------------------------
    def get_platform_interfaces(self, platform: str) -> dict[str, Callable[..., Any]]:
        return dict(self._interfaces.get(platform, {}))

    def has_platform_interface(self, platform: str, name: str) -> bool:
        return name in self._interfaces.get(platform, {})

    def get_original_connector(self, platform: str) -> object:
        try:
            return self._connectors[platform]
        except KeyError:
            raise LookupError(f"Connector not found for platform: {platform}") from None

    def get_connector(self, platform: str) -> object:
        base = self._connectors.get(platform)
        interfaces = self._interfaces.get(platform) or {}
        if base is None and not interfaces:
            proxy = self._connectors.get(PROXY_PLATFORM)
            if proxy is not None:
                return proxy
            raise LookupError(f"Connector not found for platform: {platform}")
        if base is None:
            return SimpleNamespace(**interfaces)
        if not interfaces:
            return base
        return ComposedConnector(base, interfaces)

    def get_manifest(self, platform: str, fallback_to_default: bool = False) -> dict[str, Any]:
        if platform in self._manifests:
            return self._manifests[platform]
        if fallback_to_default and "default" in self._manifests:
            return self._manifests["default"]
        raise LookupError(f"Manifest not found for platform: {platform}")

    def get_manifest_copy(self, platform: str) -> dict[str, Any] | None:
        manifest = self._manifests.get(platform)
        return copy.deepcopy(manifest) if manifest is not None else None

    def get_registered_platforms(self) -> list[str]:
        return list(self._connectors)

    def is_registered(self, platform: str) -> bool:
        return platform in self._connectors

    def set_release_notes(self, notes: dict[str, Any]) -> None:
        self._release_notes = notes

    def get_release_notes(self) -> dict[str, Any]:
        return self._release_notes

    async def get_connector_capabilities(self, platform: str) -> dict[str, Any]:
        base = self.get_original_connector(platform)
        interfaces = self._interfaces.get(platform, {})
        original = [n for n in INTERFACE_NAMES if callable(getattr(base, n, None))]
        composed = [n for n in interfaces if n not in original]
        auth_type: str | None = None
        get_auth_type = getattr(base, "getAuthType", None) or interfaces.get("getAuthType")
        if callable(get_auth_type):
            try:
                result = get_auth_type()
                auth_type = str(await result if inspect.isawaitable(result) else result)
            except Exception:
                auth_type = "unknown"
        return {
            "platform": platform,
            "originalMethods": original,
            "composedMethods": composed,
            "registeredInterfaces": list(interfaces),
            "authType": auth_type,
        }
