"""Session tools: getSessionInfo and listConnectors."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations

from composer.services import session_info
from mcp_server._deps import deps_of
from mcp_server._errors import service_errors
from mcp_server._schemas import ConnectorList, SessionInfo

__all__ = ["tools"]

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)


async def get_session_info(ctx: Context[Any, Any]) -> SessionInfo:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        return await session_info.session_info(rt, caller)  # type: ignore[return-value]


async def list_connectors(ctx: Context[Any, Any]) -> ConnectorList:
    rt, _ = deps_of(ctx).context()
    with service_errors():
        return {"connectors": await session_info.list_connectors(rt)}  # type: ignore[typeddict-item]


def tools() -> list[Tool]:
    """This module's tools, ready for ``MCPServer(tools=...)`` (built once per process by the caller)."""
    return [
        Tool.from_function(
            get_session_info,
            name="getSessionInfo",
            title="Session info",
            annotations=_READ,
            description=(
                "Who this MCP session acts for: the CRM user id, the platform (connector) and its display name, "
                "the log format the CRM receives, when the session expires, and which CRM operations the "
                "connector supports. Call it first when unsure which CRM you are writing to."
            ),
        ),
        Tool.from_function(
            list_connectors,
            name="listConnectors",
            title="List connectors",
            annotations=_READ,
            description=(
                "The CRM connectors this server offers (name, display name, auth type, supported operations). "
                "The session's own connector is the one getSessionInfo reports; logging always goes there."
            ),
        ),
    ]
