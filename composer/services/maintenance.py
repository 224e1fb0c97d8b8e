"""Periodic clean-up of rows nothing can use any more.

Cached notes expire after an hour and are never read after that; a call-log reservation
left by a process that died is taken over by the next create for its session, and one
nobody came back for is kept a day before it goes. Without this loop both tables would only
grow. Plugin tasks and remote-plugin runs are pruned by the plugin worker.

``open_runtime`` runs it: once at start-up, then every ``INTERVAL_SECONDS``. The deletes go
through ``execute_bulk``, so on SQLite they run off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from composer.store.exceptions import StoreError

if TYPE_CHECKING:
    from composer.store import Store

__all__ = ["INTERVAL_SECONDS", "purge_expired", "running_maintenance"]

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 600.0


async def purge_expired(store: Store) -> dict[str, int]:
    """Delete expired cached notes and long-abandoned reservations; the counts deleted."""
    return {
        "notes": await store.notes.purge_expired(),
        "reservations": await store.call_logs.purge_stale(),
    }


@asynccontextmanager
async def running_maintenance(store: Store, *, interval: float = INTERVAL_SECONDS) -> AsyncIterator[None]:
    async def rounds() -> None:
        while True:
            try:
                purged = await purge_expired(store)
            except StoreError as exc:  # the next round tries again
                log.warning("maintenance.failed error=%s", exc)
            else:
                if any(purged.values()):
                    log.info("maintenance.purged notes=%d reservations=%d", purged["notes"], purged["reservations"])
            await asyncio.sleep(interval)

    task = asyncio.create_task(rounds(), name="appconnect-maintenance")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
