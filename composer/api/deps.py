"""Dependencies every controller uses: the runtime and the caller."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from composer.api.session import SESSION_STATE_KEY
from composer.services.context import Caller
from composer.services.runtime import Runtime

__all__ = ["CallerDep", "RuntimeDep", "provide_caller", "provide_runtime"]


def provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def provide_caller(request: Request[Any, Any, Any], rt: NamedDependency[Runtime]) -> Caller:
    """The caller. It depends on ``rt`` on purpose: Litestar resolves sibling dependencies in an
    anyio task group, which cost about 40% of ``POST /callLog`` throughput; chained, each
    dependency is awaited directly."""
    del rt
    claims, token_state = request.scope.get("state", {}).get(SESSION_STATE_KEY, (None, "none"))  # type: ignore[call-overload]
    headers = request.headers
    rc_token = headers.get("x-rc-access-token") or request.query_params.get("rcAccessToken") or ""
    return Caller(
        claims=claims,
        token_state=token_state,
        rc_extension_id=headers.get("rc-extension-id", ""),
        rc_account_id=headers.get("rc-account-id", ""),
        is_sscl=headers.get("user-agent", "") == "SSCL",
        rc_access_token=rc_token.removeprefix("Bearer ").strip(),
    )


# Handler parameter types: dependencies are declared explicitly, never inferred by name.
RuntimeDep = NamedDependency[Runtime]
CallerDep = NamedDependency[Caller]
