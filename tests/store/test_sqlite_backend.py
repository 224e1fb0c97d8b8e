"""The SQLite backend's split: point statements inline, anything that waits on aiosqlite's thread.

The "other process" holding SQLite's write lock is a second sqlite3 connection on its own
thread, which SQLite treats exactly like another process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from composer.store import sqlite_backend
from composer.store.database import open_database
from composer.store.sqlite_backend import SqliteDatabase

SCHEMA = "CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER)"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SqliteDatabase]:
    database = await open_database(f"sqlite:///{tmp_path / 'split.db'}")
    assert isinstance(database, SqliteDatabase)
    await database.executescript(SCHEMA)
    yield database
    await database.close()


@contextmanager
def write_lock_held_elsewhere(path: Path) -> Iterator[threading.Event]:
    """Hold the database's write lock from another connection until the event is set."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO items (id, n) VALUES ('other', 0)")
        taken.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    try:
        yield release
    finally:
        release.set()
        holder.join(5)


async def _loop_stays_responsive(pending: asyncio.Future[object], release: threading.Event) -> float:
    """The longest the event loop went without running us while ``pending`` waited on a lock."""
    worst = 0.0
    for _ in range(10):
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - before)
    assert not pending.done()  # still waiting for the other connection's lock
    release.set()
    return worst


async def test_a_statement_waits_for_another_process_without_blocking_the_loop(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    with write_lock_held_elsewhere(tmp_path / "split.db") as release:
        insert = asyncio.ensure_future(db.execute("INSERT INTO items (id, n) VALUES (?, ?)", "mine", 1))
        worst = await _loop_stays_responsive(insert, release)
        assert await asyncio.wait_for(insert, 5) == 1
    assert worst < 0.2
    rows = await db.fetch_all("SELECT id FROM items ORDER BY id")
    assert rows == [{"id": "mine"}, {"id": "other"}]


async def test_a_transaction_waits_for_another_process_without_blocking_the_loop(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    async def transfer() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", "a", 1)
            row = await tx.fetch_one("SELECT n FROM items WHERE id = ?", "a")
            assert row == {"n": 1}
            await tx.execute("UPDATE items SET n = n + 1 WHERE id = ?", "a")

    with write_lock_held_elsewhere(tmp_path / "split.db") as release:
        pending = asyncio.ensure_future(transfer())
        worst = await _loop_stays_responsive(pending, release)
        await asyncio.wait_for(pending, 5)
    assert worst < 0.2
    assert await db.fetch_one("SELECT n FROM items WHERE id = ?", "a") == {"n": 2}
    # Both paths leave the database usable: the next transaction runs inline again.
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM items WHERE id = ?", "other")
    assert await db.fetch_all("SELECT id FROM items") == [{"id": "a"}]


async def test_a_failed_transaction_on_the_waiting_path_rolls_back(db: SqliteDatabase, tmp_path: Path) -> None:
    async def failing() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", "a", 1)
            raise RuntimeError("boom")

    with write_lock_held_elsewhere(tmp_path / "split.db") as release:
        pending = asyncio.ensure_future(failing())
        await asyncio.sleep(0.05)
        release.set()
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(pending, 5)
    assert await db.fetch_all("SELECT id FROM items") == [{"id": "other"}]


async def test_returning_through_execute_completes_the_write(db: SqliteDatabase) -> None:
    assert await db.execute("INSERT INTO items (id, n) VALUES (?, ?) RETURNING id", "r", 7) == 1
    assert await db.fetch_one("SELECT n FROM items WHERE id = ?", "r") == {"n": 7}


async def test_checkpoints_run_in_the_background(
    db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sqlite_backend, "CHECKPOINT_EVERY", 10)
    ran: list[int] = []
    checkpoint = db._run_checkpoint

    async def spy() -> None:
        ran.append(1)
        await checkpoint()

    monkeypatch.setattr(db, "_run_checkpoint", spy)

    async def insert(count: int) -> None:
        for _ in range(count):
            await db.execute("INSERT INTO items (id, n) VALUES (?, ?)", str(len(await db.fetch_all("SELECT id FROM items"))), 0)

    await insert(10)
    first = db._checkpoint
    assert first is not None
    await first
    await insert(9)
    assert db._checkpoint is first  # not yet 10 more changed rows
    await insert(1)
    assert db._checkpoint is not first and db._checkpoint is not None
    await db._checkpoint
    assert len(ran) == 2
    assert "checkpoint_failed" not in caplog.text  # e.g. a statement left active by the previous one


async def test_memory_database_is_one_database_for_both_connections() -> None:
    db = await open_database("sqlite:///:memory:")
    try:
        await db.executescript(SCHEMA)  # on the worker-thread connection
        await db.execute("INSERT INTO items (id, n) VALUES (?, ?)", "m", 1)  # inline
        assert await db.fetch_all("SELECT id FROM items") == [{"id": "m"}]
    finally:
        await db.close()
    other = await open_database("sqlite:///:memory:")
    try:
        with pytest.raises(Exception, match="no such table"):
            await other.fetch_all("SELECT id FROM items")  # each :memory: database is its own
    finally:
        await other.close()


async def test_using_the_database_inside_its_own_transaction_is_an_error_not_a_hang(db: SqliteDatabase) -> None:
    from composer.store import StoreError

    async def nested() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", "a", 1)
            await db.execute("INSERT INTO items (id, n) VALUES (?, ?)", "b", 2)  # not through tx

    with pytest.raises(StoreError, match="executor"):
        await asyncio.wait_for(nested(), 2)
    assert await db.fetch_all("SELECT id FROM items") == []  # the transaction rolled back
    # Other tasks still wait their turn as before.
    async with db.transaction() as tx:
        other = asyncio.ensure_future(db.execute("INSERT INTO items (id, n) VALUES (?, ?)", "c", 3))
        await asyncio.sleep(0.01)
        assert not other.done()
        await tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", "d", 4)
    assert await other == 1
    assert [r["id"] for r in await db.fetch_all("SELECT id FROM items ORDER BY id")] == ["c", "d"]


SLOW_COUNT = (
    "SELECT c FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
    "SELECT COUNT(*) AS c FROM n)"
)


async def test_a_long_statement_moves_to_the_worker_thread(db: SqliteDatabase) -> None:
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            ticks.append(time.perf_counter() - before)

    running = asyncio.ensure_future(ticker())
    try:
        await asyncio.sleep(0.02)
        started = time.perf_counter()
        assert await db.fetch_one(SLOW_COUNT, 3_000_000) == {"c": 3_000_000}
        took = time.perf_counter() - started
        await asyncio.sleep(0.02)  # let the ticker record the tick that spanned the query
    finally:
        running.cancel()
    assert took > 0.1  # long enough that, inline, the ticker would have starved
    assert max(ticks) < took / 2  # the loop kept running while the query did


async def test_writes_are_never_interrupted(db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    # An interrupt on a write's last instructions can report failure after the commit, and a
    # retry would then write twice: writes run to the end, whatever the budget.
    monkeypatch.setattr(sqlite_backend, "INLINE_BUDGET_SECONDS", 0.0)
    inserted = await db.execute(
        "INSERT INTO items (id, n) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000) "
        "SELECT 'k' || i, i FROM s"
    )
    assert inserted == 5000
    assert await db.fetch_one("SELECT COUNT(*) AS c, SUM(n) AS total FROM items") == {"c": 5000, "total": 12502500}


async def test_statements_inside_a_transaction_are_never_interrupted(
    db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_backend, "INLINE_BUDGET_SECONDS", 0.0)
    async with db.transaction() as tx:
        assert await tx.fetch_one(SLOW_COUNT, 200_000) == {"c": 200_000}
        await tx.execute("INSERT INTO items (id, n) VALUES (?, ?)", "t", 1)
    assert await db.fetch_all("SELECT id FROM items") == [{"id": "t"}]


async def test_the_wal_stays_small_under_a_steady_stream_of_writes(
    db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_backend, "CHECKPOINT_EVERY", 200)

    async def writer(w: int) -> None:
        for n in range(200):
            await db.execute("INSERT INTO items (id, n) VALUES (?, ?)", f"{w}-{n}", n)
            await asyncio.sleep(0)  # let checkpoints interleave with the writes, as under load

    await asyncio.gather(*(writer(w) for w in range(20)))
    assert await db.fetch_one("SELECT COUNT(*) AS c FROM items") == {"c": 4000}
    # 4,000 single-row commits append ~50 MB of WAL frames; checkpoints that complete let
    # SQLite start the file over, so it never holds much more than one interval's worth.
    assert (tmp_path / "split.db-wal").stat().st_size < 8 * 1024 * 1024


async def test_a_memory_database_never_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_backend, "CHECKPOINT_EVERY", 2)
    db = await open_database("sqlite:///:memory:")
    assert isinstance(db, SqliteDatabase)
    try:
        await db.executescript(SCHEMA)
        for n in range(5):
            await db.execute("INSERT INTO items (id, n) VALUES (?, ?)", str(n), n)
        assert db._checkpoint is None
    finally:
        await db.close()
