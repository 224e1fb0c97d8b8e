"""composer/store/note_cache.py on both backends: scoping, expiry, encryption at rest."""

from __future__ import annotations

import pytest

from composer.store import Store
from composer.store import note_cache as note_cache_module
from composer.store._util import now_ms
from composer.store.note_cache import NOTE_TTL_MS

NOTE = "Customer asked about the renewal PLAINTEXT"


def _clock(monkeypatch: pytest.MonkeyPatch, at_ms: int) -> None:
    monkeypatch.setattr(note_cache_module, "now_ms", lambda: at_ms)


async def test_put_get_round_trip_scoped_by_session_and_extension(store: Store) -> None:
    await store.notes.put(session_id="s-1", hashed_extension_id="h-1", note=NOTE)
    assert await store.notes.get(session_id="s-1", hashed_extension_id="h-1") == NOTE
    assert await store.notes.get(session_id="s-1", hashed_extension_id="h-2") is None
    assert await store.notes.get(session_id="s-2", hashed_extension_id="h-1") is None

    await store.notes.put(session_id="s-1", hashed_extension_id="h-1", note="replaced")
    assert await store.notes.get(session_id="s-1", hashed_extension_id="h-1") == "replaced"


async def test_note_expires_after_an_hour(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    start = now_ms()
    _clock(monkeypatch, start)
    await store.notes.put(session_id="s-1", hashed_extension_id="h-1", note=NOTE)

    _clock(monkeypatch, start + NOTE_TTL_MS)
    assert await store.notes.get(session_id="s-1", hashed_extension_id="h-1") == NOTE
    _clock(monkeypatch, start + NOTE_TTL_MS + 1)
    assert await store.notes.get(session_id="s-1", hashed_extension_id="h-1") is None


async def test_purge_expired_deletes_only_expired_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    start = now_ms()
    _clock(monkeypatch, start)
    await store.notes.put(session_id="old", hashed_extension_id="h", note="old")
    _clock(monkeypatch, start + 10_000)
    await store.notes.put(session_id="new", hashed_extension_id="h", note="new")

    _clock(monkeypatch, start + NOTE_TTL_MS + 5_000)
    assert await store.notes.purge_expired() == 1
    rows = await store.db.fetch_all("SELECT session_id FROM note_cache")
    assert rows == [{"session_id": "new"}]


async def test_notes_are_encrypted_at_rest_and_bound_to_their_row(store: Store) -> None:
    await store.notes.put(session_id="s-1", hashed_extension_id="h-1", note=NOTE)
    await store.notes.put(session_id="s-2", hashed_extension_id="h-1", note="other")
    row = await store.db.fetch_one("SELECT * FROM note_cache WHERE session_id = ?", "s-1")
    assert row is not None
    assert row["note"].startswith("v2:") and NOTE not in str(row)

    # A ciphertext moved to another row does not decrypt there; the cache treats it as missing.
    await store.db.execute("UPDATE note_cache SET note = ? WHERE session_id = ?", row["note"], "s-2")
    assert await store.notes.get(session_id="s-2", hashed_extension_id="h-1") is None
