"""The reservation state shared by call-log and message-conversation linkage rows.

A row is reserved (``pending``, with a token and an expiry) before the CRM is called and
becomes ``logged`` once the CRM id is stored; an expired pending row may be taken over.
"""

from __future__ import annotations

import msgspec

__all__ = ["ReservedRow"]


class ReservedRow(msgspec.Struct, frozen=True, kw_only=True):
    third_party_log_id: str | None
    state: str
    reservation_token: str | None
    reserved_until: int | None

    @property
    def is_logged(self) -> bool:
        return self.state == "logged"

    def is_live(self, now: int) -> bool:
        """Logged, or pending with an unexpired reservation (someone is creating it)."""
        return self.is_logged or (self.reserved_until or 0) > now
