"""The MCP tool surface, on the official ``mcp`` SDK (``MCPServer``).

Two transports over one set of tools (each tool calls the same service as its HTTP route):

* streamable HTTP, mounted at ``/mcp`` in the Litestar app by ``create_app``
  (``McpHttpSurface``), authenticated per request with the session JWT;
* stdio, ``appconnect mcp`` (``run_stdio``), with an identity fixed at start-up.

See docs/mcp.md.
"""

from __future__ import annotations

from mcp_server._server import INSTRUCTIONS, SERVER_NAME, build_server
from mcp_server.http import McpHttpSurface, public_base_url
from mcp_server.stdio import run_stdio

__all__ = [
    "INSTRUCTIONS",
    "SERVER_NAME",
    "TOOL_NAMES",
    "McpHttpSurface",
    "build_server",
    "public_base_url",
    "run_stdio",
]

# The tool surface, pinned by tests/mcp: renaming or removing a tool is a reviewed decision.
TOOL_NAMES = (
    "findContactByPhone",
    "findContactByName",
    "createContact",
    "createCallLog",
    "updateCallLog",
    "getCallLog",
    "createMessageLog",
    "previewLog",
    "upsertCallDisposition",
    "listAppointments",
    "createAppointment",
    "updateAppointment",
    "cancelAppointment",
    "confirmAppointment",
    "getSessionInfo",
    "listConnectors",
)
