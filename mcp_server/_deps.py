"""What every tool needs: the runtime (opened by the app's lifespan or by ``appconnect mcp``)
and the identity of the current call.

Tools are plain module functions built once per process; they reach the ``ToolDeps`` of the
server that received the call through the SDK's injected ``Context`` (``deps_of(ctx)``), so
one set of tool definitions serves every app instance (tests build many).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context, MCPServer

from composer.services.context import Caller
from composer.services.runtime import Runtime
from mcp_server._identity import Identity

__all__ = ["ComposerMCPServer", "ToolDeps", "deps_of"]


@dataclass(frozen=True, slots=True)
class ToolDeps:
    runtime: Callable[[], Runtime]
    identity: Identity

    def context(self) -> tuple[Runtime, Caller]:
        """The runtime and the verified caller; ToolError when the call is not authenticated."""
        return self.runtime(), self.identity.caller()


class ComposerMCPServer(MCPServer[Any]):
    """An ``MCPServer`` that carries the ``ToolDeps`` its tools run with."""

    def __init__(self, deps: ToolDeps, **options: Any) -> None:
        super().__init__(**options)
        self.deps = deps


def deps_of(ctx: Context[Any, Any]) -> ToolDeps:
    server = ctx.mcp_server
    if not isinstance(server, ComposerMCPServer):
        raise TypeError("composer tools must run on a ComposerMCPServer")
    return server.deps
