"""Waiting for another request's reservation to settle (http-api.md §10.4, §11.2).

A ``pending`` linkage row means another request is calling the CRM right now. Updates to
that call (and later messages of that conversation) wait for it: poll every 250 ms for up to
10 s. The other request holds its reservation for at most the CRM timeout, so the wait is
bounded either way; after it, the caller answers "still in progress" and the client retries.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from composer.services.identity import CallIdentity
from composer.services.messages import rm
from composer.store.call_logs import CallLogRow, CallLogStore

__all__ = ["POLL_INTERVAL_S", "WAIT_LIMIT_S", "settled_call_row", "still_in_progress", "wait_while_pending"]

POLL_INTERVAL_S = 0.25
WAIT_LIMIT_S = 10.0


class _HasState(Protocol):
    @property
    def is_logged(self) -> bool: ...


R = TypeVar("R", bound=_HasState)


async def wait_while_pending(
    read: Callable[[], Awaitable[R | None]],
    row: R,
    *,
    interval: float | None = None,
    limit: float | None = None,
) -> R | None:
    """Re-read ``row`` until it is logged or gone; returns the last read (still pending on timeout)."""
    interval = POLL_INTERVAL_S if interval is None else interval
    deadline = time.monotonic() + (WAIT_LIMIT_S if limit is None else limit)
    current: R | None = row
    while current is not None and not current.is_logged and time.monotonic() < deadline:
        await asyncio.sleep(interval)
        current = await read()
    return current


async def settled_call_row(
    store: CallLogStore, *, platform: str, session_id: str, identity: CallIdentity
) -> CallLogRow | None:
    """The call's linkage row once no request is creating it (may still be pending on timeout)."""

    async def read() -> CallLogRow | None:
        return await store.find(
            platform=platform,
            session_id=session_id,
            extension_number=identity.extension_number,
            hashed_extension_id=identity.hashed_extension_id,
        )

    row = await read()
    if row is None or row.is_logged:
        return row
    return await wait_while_pending(read, row)


def still_in_progress(session_id: str) -> dict[str, Any]:
    return {
        "successful": False,
        "returnMessage": rm(f"Log creation for session {session_id} is still in progress. Please try again.", 3000),
    }
