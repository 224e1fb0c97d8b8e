"""composer/store/message_logs.py on both backends: conversation reservations and message claims."""

from __future__ import annotations

import asyncio

from composer.store import Store
from composer.store.message_logs import ConversationReservation, ConversationRow, MessageClaim


async def _reserve(store: Store, clid: str = "c-2024-01-01", **kw: int) -> ConversationReservation | ConversationRow:
    return await store.message_logs.reserve_conversation(
        platform="p", scope="u", conversation_log_id=clid, conversation_id="c", user_id="u", **kw
    )


async def test_conversation_reserve_finalize_and_reuse(store: Store) -> None:
    res = await _reserve(store)
    assert isinstance(res, ConversationReservation)
    pending = await _reserve(store)
    assert isinstance(pending, ConversationRow) and pending.state == "pending"
    assert await store.message_logs.finalize_conversation(res, third_party_log_id="act-1")
    logged = await _reserve(store)
    assert isinstance(logged, ConversationRow) and logged.is_logged
    assert logged.view()["thirdPartyLogId"] == "act-1"


async def test_released_conversation_can_be_reserved_again(store: Store) -> None:
    res = await _reserve(store)
    assert isinstance(res, ConversationReservation)
    assert await store.message_logs.release_conversation(res)
    assert await store.message_logs.get_conversation(platform="p", scope="u", conversation_log_id="c-2024-01-01") is None
    assert isinstance(await _reserve(store), ConversationReservation)


async def test_expired_conversation_reservation_is_taken_over(store: Store) -> None:
    dead = await _reserve(store, hold_ms=-1)
    assert isinstance(dead, ConversationReservation)
    fresh = await _reserve(store)
    assert isinstance(fresh, ConversationReservation) and fresh.token != dead.token
    assert not await store.message_logs.finalize_conversation(dead, third_party_log_id="x")


async def test_message_claimed_once(store: Store) -> None:
    args = {"platform": "p", "user_id": "u", "conversation_id": "c", "conversation_log_id": "c-1"}
    claims = await asyncio.gather(*(store.message_logs.claim_message(message_id="m1", **args) for _ in range(20)))
    winners = [c for c in claims if isinstance(c, MessageClaim)]
    assert len(winners) == 1
    assert await store.message_logs.handled_ids(platform="p", user_id="u", message_ids=["m1", "m2"]) == {"m1"}
    assert await store.message_logs.finalize_message(
        winners[0], third_party_log_id="act", conversation_id="c", conversation_log_id="c-1"
    )
    assert await store.message_logs.claim_message(message_id="m1", **args) is None
    rows = await store.message_logs.messages_of(platform="p", user_id="u", conversation_log_id="c-1")
    assert [(r["id"], r["state"], r["third_party_log_id"]) for r in rows] == [("m1", "logged", "act")]


async def test_released_message_can_be_claimed_again(store: Store) -> None:
    args = {"platform": "p", "user_id": "u", "conversation_id": "c", "conversation_log_id": "c-1"}
    claim = await store.message_logs.claim_message(message_id="m1", **args)
    assert claim is not None and await store.message_logs.release_message(claim)
    assert await store.message_logs.claim_message(message_id="m1", **args) is not None


async def test_stale_message_claim_is_taken_over(store: Store) -> None:
    args = {"platform": "p", "user_id": "u", "conversation_id": "c", "conversation_log_id": "c-1"}
    old = await store.message_logs.claim_message(message_id="m1", **args)
    assert old is not None
    assert await store.message_logs.claim_message(message_id="m1", hold_ms=-1, **args) is not None


async def test_fifty_concurrent_conversation_reservations_one_winner(store: Store) -> None:
    outcomes = await asyncio.gather(*(_reserve(store, "race") for _ in range(50)))
    assert sum(isinstance(o, ConversationReservation) for o in outcomes) == 1
