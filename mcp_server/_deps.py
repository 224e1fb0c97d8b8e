"""What every tool needs: the runtime (opened by the app's lifespan or by ``appconnect mcp``)
and the identity of the current call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from composer.services.context import Caller
from composer.services.runtime import Runtime
from mcp_server._identity import Identity

__all__ = ["ToolDeps"]


@dataclass(frozen=True, slots=True)
class ToolDeps:
    runtime: Callable[[], Runtime]
    identity: Identity

    def context(self) -> tuple[Runtime, Caller]:
        """The runtime and the verified caller; ToolError when the call is not authenticated."""
        return self.runtime(), self.identity.caller()
