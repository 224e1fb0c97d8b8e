"""What a platform implements, its manifest and the release notes (spec §8)."""

from __future__ import annotations

import copy
import inspect
from typing import TYPE_CHECKING, Any

from composer.services.errors import BadRequest, RequestFailed
from connectors.invoke import get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["crm_manifest", "implemented_interfaces", "release_notes"]

_REPORTED = (
    "getAuthType", "getUserInfo", "createCallLog", "updateCallLog", "getCallLog", "createMessageLog",
    "updateMessageLog", "createContact", "findContact", "listAppointments", "createAppointment",
    "updateAppointment", "refreshAppointment", "confirmAppointment", "cancelAppointment", "unAuthorize",
    "upsertCallDisposition", "findContactWithName", "getUserList", "getManagedAuthOptions", "getLicenseStatus",
    "getLogFormatType", "refreshUserInfo",
)  # fmt: skip


async def implemented_interfaces(rt: Runtime, platform: str | None) -> dict[str, bool]:
    if not platform:
        raise BadRequest("Please provide platform.")
    try:
        connector = rt.registry.get_connector(platform)
        result = {name: get_interface(connector, name) is not None for name in _REPORTED}
        auth_type = None
        get_auth_type = get_interface(connector, "getAuthType")
        if get_auth_type is not None:
            value = get_auth_type()
            # Awaited, unlike the reference: an async getAuthType must not hide the auth members.
            auth_type = await value if inspect.isawaitable(value) else value
    except Exception as exc:
        raise RequestFailed(str(exc) or type(exc).__name__) from None
    if auth_type == "oauth":
        result["getOauthInfo"] = get_interface(connector, "getOauthInfo") is not None
    elif auth_type == "apiKey":
        result["getBasicAuth"] = get_interface(connector, "getBasicAuth") is not None
    result["cacheCallNote"] = rt.settings.use_cache
    return result


def crm_manifest(rt: Runtime, platform_name: str | None) -> dict[str, Any]:
    manifest = rt.registry.get_manifest_copy(platform_name or "default")
    if manifest is None or not (manifest.get("author") or {}).get("name"):
        raise BadRequest("Platform not found")
    manifest = copy.deepcopy(manifest)
    if rt.settings.app_server:
        manifest["serverUrl"] = rt.settings.app_server
    return manifest


CORE_RELEASE_NOTES: dict[str, Any] = {
    "0.1.0": {"global": [{"type": "New", "description": "Python logging composer with plugins and MCP tools."}]}
}


def release_notes(rt: Runtime) -> dict[str, Any]:
    notes: dict[str, Any] = {}
    for version, connector_notes in rt.registry.get_release_notes().items():
        entry = {"global": (CORE_RELEASE_NOTES.get(version) or {}).get("global", [])}
        if isinstance(connector_notes, dict):
            entry.update(connector_notes)
        notes[version] = entry
    return notes
