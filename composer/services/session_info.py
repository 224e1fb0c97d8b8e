"""Who the session belongs to and which connectors this server offers (for MCP clients).

Neither answer contains a secret: no tokens, no API keys, no settings values. Interface
lists name only what a caller can use (``findContactWithName``, ``listAppointments``...),
so an agent can decide which tools apply to the connector behind its session.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from composer.services.context import Caller
from composer.services.errors import BadRequest
from composer.services.sessions import connector_for, current_user
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["list_connectors", "session_info"]

# The connector operations an agent can reach through the tools (auth plumbing left out).
_OPERATIONS = (
    "findContact", "findContactWithName", "createContact", "createCallLog", "updateCallLog", "getCallLog",
    "upsertCallDisposition", "createMessageLog", "updateMessageLog", "getLogFormatType", "listAppointments",
    "createAppointment", "updateAppointment", "refreshAppointment", "confirmAppointment", "cancelAppointment",
)  # fmt: skip
_LOG_FORMATS = ("text/plain", "text/html", "text/markdown")


def _display_name(rt: Runtime, platform: str) -> str:
    manifest = rt.registry.get_manifest_copy(platform) or {}
    entry = (manifest.get("platforms") or {}).get(platform) or {}
    return str(entry.get("displayName") or platform)


def _interfaces(connector: object) -> list[str]:
    return [name for name in _OPERATIONS if get_interface(connector, name) is not None]


async def _auth_type(connector: object) -> str:
    fn = get_interface(connector, "getAuthType")
    if fn is None:
        return ""
    try:
        value = fn()
        value = await value if inspect.isawaitable(value) else value
    except Exception:  # a proxy connector may need its config to answer
        return ""
    return str(value or "")


async def list_connectors(rt: Runtime) -> list[dict[str, Any]]:
    """Every registered platform: name, display name, auth type and the interfaces it implements."""
    out: list[dict[str, Any]] = []
    for platform in sorted(rt.registry.get_registered_platforms()):
        connector = rt.registry.get_connector(platform)
        out.append(
            {
                "name": platform,
                "displayName": _display_name(rt, platform),
                "authType": await _auth_type(connector),
                "interfaces": _interfaces(connector),
            }
        )
    return out


async def session_info(rt: Runtime, caller: Caller) -> dict[str, Any]:
    """The caller's user, connector and session expiry; BadRequest("User not found") without a row."""
    claims = caller.session()
    user = await current_user(rt, caller)
    if user is None or not user.has_credentials:
        raise BadRequest("User not found")
    connector = connector_for(rt, user.platform)
    log_format = "text/plain"
    if get_interface(connector, "getLogFormatType") is not None:
        value = await call_interface(connector, "getLogFormatType", user=user, platform=user.platform, proxyConfig=None)
        log_format = value if value in _LOG_FORMATS else str(value or "")
    return {
        "userId": user.id,
        "platform": user.platform,
        "connectorDisplayName": _display_name(rt, user.platform),
        "hostname": user.hostname,
        "timezoneName": user.timezoneName,
        "timezoneOffset": user.timezoneOffset,
        "logFormat": log_format,
        "sessionExpiresAt": datetime.fromtimestamp(claims.exp, UTC).isoformat().replace("+00:00", "Z"),
        "interfaces": _interfaces(connector),
    }
