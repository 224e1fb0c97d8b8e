"""The durable task table on both backends: claims, leases, retries, dead letters, encryption."""

from __future__ import annotations

import asyncio

from composer.pipeline.tasks import NewTask
from composer.store import Store


def task(plugin: str = "p", payload: str = '{"note":"secret text"}', max_attempts: int = 3) -> NewTask:
    return NewTask(plugin=plugin, kind="side_effect", payload=payload, max_attempts=max_attempts)


async def test_enqueue_then_claim_returns_the_payload_and_counts_the_attempt(store: Store) -> None:
    (task_id,) = await store.plugin_tasks.enqueue([task()])
    assert len(task_id) == 32
    (claimed,) = await store.plugin_tasks.claim(limit=10, lease_seconds=60)
    assert (claimed.id, claimed.plugin, claimed.attempts, claimed.max_attempts) == (task_id, "p", 1, 3)
    assert claimed.payload == '{"note":"secret text"}'
    assert await store.plugin_tasks.claim(limit=10, lease_seconds=60) == []  # leased


async def test_payloads_are_encrypted_at_rest(store: Store) -> None:
    await store.plugin_tasks.enqueue([task()])
    row = await store.db.fetch_one("SELECT payload FROM plugin_tasks")
    assert row is not None and row["payload"].startswith("v2:") and "secret" not in row["payload"]


async def test_complete_retry_bury_release(store: Store) -> None:
    ids = await store.plugin_tasks.enqueue([task("a"), task("b"), task("c"), task("d")])
    claimed = {t.plugin: t for t in await store.plugin_tasks.claim(limit=10, lease_seconds=60)}
    await store.plugin_tasks.complete(claimed["a"].id)
    await store.plugin_tasks.retry(claimed["b"].id, error="HTTP 500", delay_seconds=3600)
    await store.plugin_tasks.bury(claimed["c"].id, error="gave up")
    await store.plugin_tasks.release(claimed["d"].id)
    rows = {r.plugin: r for r in await store.plugin_tasks.list()}
    assert rows["a"].state == "done"
    assert (rows["b"].state, rows["b"].last_error, rows["b"].attempts) == ("pending", "HTTP 500", 1)
    assert (rows["c"].state, rows["c"].last_error) == ("dead", "gave up")
    assert (rows["d"].state, rows["d"].attempts) == ("pending", 0)  # released: the attempt does not count
    (again,) = await store.plugin_tasks.claim(limit=10, lease_seconds=60)
    assert again.plugin == "d" and again.id == ids[3]


async def test_next_due_in(store: Store) -> None:
    assert await store.plugin_tasks.next_due_in() is None
    await store.plugin_tasks.enqueue([task()], delay_seconds=30)
    due = await store.plugin_tasks.next_due_in()
    assert due is not None and 25 < due <= 30
    await store.plugin_tasks.enqueue([task()])
    assert await store.plugin_tasks.next_due_in() == 0


async def test_an_expired_lease_is_claimed_again(store: Store) -> None:
    await store.plugin_tasks.enqueue([task()])
    (first,) = await store.plugin_tasks.claim(limit=1, lease_seconds=-1)  # the worker "died"
    (second,) = await store.plugin_tasks.claim(limit=1, lease_seconds=60)
    assert second.id == first.id and second.attempts == 2


async def test_concurrent_claims_never_hand_out_a_task_twice(store: Store) -> None:
    await store.plugin_tasks.enqueue([task(str(i)) for i in range(40)])
    batches = await asyncio.gather(*(store.plugin_tasks.claim(limit=7, lease_seconds=60) for _ in range(10)))
    ids = [t.id for batch in batches for t in batch]
    assert len(ids) == 40 and len(set(ids)) == 40


async def test_prune_deletes_only_old_done_rows(store: Store) -> None:
    await store.plugin_tasks.enqueue([task("done"), task("dead")])
    claimed = {t.plugin: t for t in await store.plugin_tasks.claim(limit=10, lease_seconds=60)}
    await store.plugin_tasks.complete(claimed["done"].id)
    await store.plugin_tasks.bury(claimed["dead"].id, error="x")
    assert await store.plugin_tasks.prune(older_than_seconds=3600) == 0
    assert await store.plugin_tasks.prune(older_than_seconds=-1) == 1
    assert [r.plugin for r in await store.plugin_tasks.list()] == ["dead"]
