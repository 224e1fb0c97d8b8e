"""composer/store/call_logs.py on both backends: identity lookup, reservation, finalize, release."""

from __future__ import annotations

import asyncio

from composer.store import Store
from composer.store.call_logs import CallLogRow, Reservation


async def _reserve(store: Store, session: str = "s1", ext: str = "", hashed: str = "", **kw: object) -> object:
    return await store.call_logs.reserve(
        platform=str(kw.get("platform", "p")),
        session_id=session,
        extension_number=ext,
        hashed_extension_id=hashed,
        **({"hold_ms": kw["hold_ms"]} if "hold_ms" in kw else {}),
    )


async def test_reserve_then_duplicate_until_released(store: Store) -> None:
    first = await _reserve(store, hashed="h1")
    assert isinstance(first, Reservation)
    second = await _reserve(store, hashed="h1")
    assert isinstance(second, CallLogRow) and second.state == "pending"
    assert await store.call_logs.release(first)
    third = await _reserve(store, hashed="h1")
    assert isinstance(third, Reservation)


async def test_finalize_is_guarded_by_the_token(store: Store) -> None:
    mine = await _reserve(store, ext="101")
    assert isinstance(mine, Reservation)
    forged = Reservation(row_id=mine.row_id, token="not-mine", platform="p", session_id="s1")
    assert not await store.call_logs.finalize(forged, third_party_log_id="x", user_id="u", contact_id="c", telephony_id="t")
    assert not await store.call_logs.release(forged)
    assert await store.call_logs.finalize(mine, third_party_log_id="crm-1", user_id="u", contact_id="c", telephony_id="t")
    row = await store.call_logs.find(platform="p", session_id="s1", extension_number="101", hashed_extension_id="")
    assert row is not None and row.is_logged and row.third_party_log_id == "crm-1"
    assert row.view() == {
        "id": "t",
        "sessionId": "s1",
        "extensionNumber": "101",
        "hashedExtensionId": "",
        "platform": "p",
        "thirdPartyLogId": "crm-1",
        "userId": "u",
        "contactId": "c",
    }
    # A logged row cannot be released.
    assert not await store.call_logs.release(mine)


async def test_identity_rules(store: Store) -> None:
    legacy = await _reserve(store, ext="101")  # a legacy row: extension number, no hash
    assert isinstance(legacy, Reservation)
    # A hashed request from the same extension number collides with the legacy row.
    assert isinstance(await _reserve(store, ext="101", hashed="h1"), CallLogRow)
    # Another extension with a hash does not.
    assert isinstance(await _reserve(store, ext="102", hashed="h2"), Reservation)
    # Other platform: independent.
    assert isinstance(await _reserve(store, ext="101", platform="other"), Reservation)


async def test_two_hashes_two_rows_and_lookup_prefers_the_exact_hash(store: Store) -> None:
    for hashed, crm in (("h1", "a"), ("h2", "b")):
        res = await _reserve(store, hashed=hashed)
        assert isinstance(res, Reservation)
        await store.call_logs.finalize(res, third_party_log_id=crm, user_id="u", contact_id="c", telephony_id="t")
    found = await store.call_logs.find_logged(
        platform="p", session_ids=["s1", "s2"], extension_number="", hashed_extension_id="h2"
    )
    assert list(found) == ["s1"] and found["s1"].third_party_log_id == "b"


async def test_expired_reservation_is_taken_over(store: Store) -> None:
    dead = await _reserve(store, hashed="h1", hold_ms=-1)
    assert isinstance(dead, Reservation)
    fresh = await _reserve(store, hashed="h1")
    assert isinstance(fresh, Reservation) and fresh.token != dead.token
    assert not await store.call_logs.finalize(dead, third_party_log_id="x", user_id="u", contact_id="c", telephony_id="t")


async def test_fifty_concurrent_reservations_one_winner(store: Store) -> None:
    outcomes = await asyncio.gather(*(_reserve(store, "race", hashed="h") for _ in range(50)))
    winners = [o for o in outcomes if isinstance(o, Reservation)]
    assert len(winners) == 1
    assert sum(isinstance(o, CallLogRow) for o in outcomes) == 49
    rows = await store.db.fetch_all("SELECT state FROM call_logs WHERE session_id = ?", "race")
    assert rows == [{"state": "pending"}]


async def test_purge_stale_only_removes_old_pending_rows(store: Store) -> None:
    await _reserve(store, "old", hold_ms=-(2 * 24 * 3600 * 1000))
    await _reserve(store, "new")
    assert await store.call_logs.purge_stale() == 1
