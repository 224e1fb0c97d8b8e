"""Who is calling: the verified session (if any) and the request headers with behaviour.

Built by the HTTP layer from headers and by the MCP layer from its own authentication;
services only ever see this, never a request object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from composer.security.jwt import SessionClaims
from composer.services.errors import InvalidJwt, NotAuthenticated

__all__ = ["Caller", "TokenState"]

TokenState = Literal["none", "invalid", "valid"]


@dataclass(frozen=True, slots=True)
class Caller:
    claims: SessionClaims | None = None
    token_state: TokenState = "none"
    rc_extension_id: str = ""  # header rc-extension-id (already hashed by the client)
    rc_account_id: str = ""  # header rc-account-id (already hashed by the client)
    is_sscl: bool = False  # User-Agent: SSCL (server-side call logging)
    rc_access_token: str = ""

    def session(self, *, bad_jwt_variant: bool = False) -> SessionClaims:
        """The verified claims, or the route's error for a missing / invalid token."""
        if self.claims is not None:
            return self.claims
        if bad_jwt_variant and self.token_state == "invalid":
            raise InvalidJwt()
        raise NotAuthenticated()
