"""composer/services/maintenance.py on both backends: expired rows go, live ones stay."""

from __future__ import annotations

import asyncio

import pytest

from composer.services import maintenance
from composer.store import Store, StoreError
from composer.store import note_cache as note_cache_module
from composer.store._util import now_ms
from composer.store.note_cache import NOTE_TTL_MS


async def _expired_note_and_stale_reservation(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    past = now_ms() - NOTE_TTL_MS - 60_000
    monkeypatch.setattr(note_cache_module, "now_ms", lambda: past)
    await store.notes.put(session_id="old", hashed_extension_id="h", note="old")
    monkeypatch.undo()
    await store.notes.put(session_id="new", hashed_extension_id="h", note="new")
    for session_id, hold_ms in (("stale", -(2 * 24 * 3600 * 1000)), ("live", 120_000)):
        await store.call_logs.reserve(
            platform="p", session_id=session_id, extension_number="", hashed_extension_id="h", hold_ms=hold_ms
        )


async def test_one_round_purges_only_what_nothing_can_use(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    await _expired_note_and_stale_reservation(store, monkeypatch)
    assert await maintenance.purge_expired(store) == {"notes": 1, "reservations": 1}
    assert await store.db.fetch_all("SELECT session_id FROM note_cache") == [{"session_id": "new"}]
    assert await store.db.fetch_all("SELECT session_id FROM call_logs") == [{"session_id": "live"}]


async def test_the_loop_runs_at_once_and_survives_a_failing_round(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _expired_note_and_stale_reservation(store, monkeypatch)
    real = maintenance.purge_expired
    rounds: list[str] = []

    async def flaky(s: Store) -> dict[str, int]:
        if not rounds:
            rounds.append("failed")
            raise StoreError("database is locked")
        rounds.append("ran")
        return await real(s)

    monkeypatch.setattr(maintenance, "purge_expired", flaky)
    async with maintenance.running_maintenance(store, interval=0.01):
        for _ in range(200):
            if "ran" in rounds:
                break
            await asyncio.sleep(0.01)
    assert rounds[:2] == ["failed", "ran"]
    assert await store.db.fetch_all("SELECT session_id FROM note_cache") == [{"session_id": "new"}]
