"""``build_server``: the MCPServer with every tool, for either transport."""

from __future__ import annotations

import functools

from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver.tools import Tool

from mcp_server import _tools_appointments, _tools_contacts, _tools_logs, _tools_session
from mcp_server._deps import ComposerMCPServer, ToolDeps
from mcp_server._identity import SessionTokenVerifier

__all__ = ["INSTRUCTIONS", "SERVER_NAME", "build_server"]

_TOOL_MODULES = (_tools_contacts, _tools_logs, _tools_appointments, _tools_session)

SERVER_NAME = "appconnect-composer"

INSTRUCTIONS = """\
Logs phone calls and SMS conversations into the user's CRM, and manages CRM appointments.
Every tool acts as the CRM user of this session (see getSessionInfo); identity is never a tool argument.

Typical call logging:
1. findContactByPhone with the other party's number (or findContactByName); createContact if nobody matches.
2. previewLog to see the exact text the CRM would receive (nothing is written).
3. createCallLog with logInfo (the RingCentral call record; sessionId is required) and the contact's id.
   One call (sessionId) is logged once: a second createCallLog for it fails with "Existing log for session ...".
4. updateCallLog with the same sessionId to add a note, recording link, AI summary or the final duration;
   text the user edited in the CRM outside these sections is kept.
SMS: createMessageLog with one day of one conversation; messages already logged are skipped.
A failed tool call returns the CRM's or server's message; fix the input it names and retry.
"""


@functools.cache
def _tools() -> tuple[Tool, ...]:
    """The tool definitions (argument and result schemas), built once per process."""
    return tuple(tool for module in _TOOL_MODULES for tool in module.tools())


def build_server(
    deps: ToolDeps,
    *,
    version: str = "",
    token_verifier: SessionTokenVerifier | None = None,
    auth: AuthSettings | None = None,
) -> ComposerMCPServer:
    """The tool surface over ``deps``; with ``token_verifier`` + ``auth`` the HTTP app requires bearer JWTs."""
    return ComposerMCPServer(
        deps,
        name=SERVER_NAME,
        title="App Connect logging composer",
        instructions=INSTRUCTIONS,
        version=version,
        token_verifier=token_verifier,
        auth=auth,
        tools=list(_tools()),
    )
