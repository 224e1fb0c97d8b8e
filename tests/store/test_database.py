"""composer/store/database.py on both backends: statements, transactions, locks, errors."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from composer.store import Database, StoreError, StoreUnavailable
from composer.store.database import open_database
from tests._postgres import postgres_only


async def _count(db: Database, table: str = "caches") -> int:
    row = await db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def test_dialect_matches_the_url(database: Database, database_url: str) -> None:
    assert database.dialect == ("sqlite" if database_url.startswith("sqlite:") else "postgres")


async def test_execute_fetch_round_trip(database: Database) -> None:
    assert (
        await database.execute("INSERT INTO caches (id, data, expires_at) VALUES (?, ?, ?)", "a", "x", 5) == 1
    )
    await database.execute("INSERT INTO caches (id, data, expires_at) VALUES (?, ?, ?)", "b", "y", None)

    assert await database.fetch_one("SELECT id, data, expires_at FROM caches WHERE id = ?", "a") == {
        "id": "a",
        "data": "x",
        "expires_at": 5,
    }
    assert await database.fetch_one("SELECT id FROM caches WHERE id = ?", "missing") is None
    rows = await database.fetch_all("SELECT id, expires_at FROM caches ORDER BY id")
    assert rows == [{"id": "a", "expires_at": 5}, {"id": "b", "expires_at": None}]
    assert await database.execute("UPDATE caches SET data = ?", "z") == 2
    assert await database.execute("DELETE FROM caches WHERE id = ?", "missing") == 0


async def test_question_marks_inside_literals_are_not_placeholders(database: Database) -> None:
    await database.execute(
        """INSERT INTO caches (id, data) /* a comment? */ VALUES ('why?', ?) -- also a comment?""", "it's"
    )
    row = await database.fetch_one(
        "SELECT data FROM caches WHERE id = 'why?' AND data = ? AND 'a''?' <> ?", "it's", "b"
    )
    assert row == {"data": "it's"}


async def test_transaction_commits_on_success(database: Database) -> None:
    async with database.transaction() as tx:
        await tx.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "a", "x")
        assert await tx.fetch_one("SELECT data FROM caches WHERE id = ?", "a") == {"data": "x"}
    assert await _count(database) == 1


async def test_transaction_rolls_back_on_exception(database: Database) -> None:
    await database.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "kept", "x")

    with pytest.raises(RuntimeError, match="boom"):
        async with database.transaction(lock_key="k") as tx:
            await tx.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "a", "x")
            await tx.execute("UPDATE caches SET data = ? WHERE id = ?", "changed", "kept")
            await tx.execute("DELETE FROM caches WHERE id = ?", "kept")
            raise RuntimeError("boom")

    assert await database.fetch_all("SELECT id, data FROM caches") == [{"id": "kept", "data": "x"}]
    # The database is usable afterwards (no transaction or lock left open).
    async with database.transaction(lock_key="k") as tx:
        await tx.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "b", "y")
    assert await _count(database) == 2


async def test_unique_violation_is_a_store_error(database: Database) -> None:
    await database.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "a", "x")
    with pytest.raises(StoreError) as outside:
        await database.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "a", "again")
    assert outside.type is StoreError
    assert outside.value.__cause__ is not None  # the driver error is chained, not lost

    with pytest.raises(StoreError):
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "b", "x")
            await tx.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "a", "again")
    assert await database.fetch_all("SELECT id, data FROM caches") == [{"id": "a", "data": "x"}]


async def test_bad_sql_is_a_store_error(database: Database) -> None:
    with pytest.raises(StoreError):
        await database.fetch_all("SELECT nope FROM no_such_table")
    with pytest.raises(StoreError):
        await database.executescript("CREATE TABLE broken (")
    # Still usable afterwards.
    assert await _count(database) == 0


async def test_executescript_runs_several_statements(database: Database) -> None:
    await database.executescript(
        "CREATE TABLE t1 (id TEXT PRIMARY KEY); CREATE TABLE t2 (id TEXT PRIMARY KEY);"
        "INSERT INTO t1 (id) VALUES ('a');"
    )
    assert await _count(database, "t1") == 1
    assert await _count(database, "t2") == 0


async def _increment(db: Database, *, lock_key: str | None) -> None:
    async with db.transaction(lock_key=lock_key) as tx:
        row = await tx.fetch_one("SELECT data FROM caches WHERE id = ?", "counter")
        assert row is not None
        await asyncio.sleep(0.005)  # widen the read-modify-write window
        await tx.execute("UPDATE caches SET data = ? WHERE id = ?", str(int(row["data"]) + 1), "counter")


async def test_lock_key_serialises_critical_sections(database: Database) -> None:
    await database.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "counter", "0")
    await asyncio.gather(*(_increment(database, lock_key="counter") for _ in range(20)))
    assert await database.fetch_one("SELECT data FROM caches WHERE id = ?", "counter") == {"data": "20"}


@postgres_only
async def test_without_lock_key_postgres_loses_updates(database: Database) -> None:
    """The control for the test above: the race it guards against is real on PostgreSQL.

    Two read-modify-writes, both reading before either writes, end at 1, not 2. (SQLite
    serialises every transaction, so it has no race to show.)
    """
    await database.execute("INSERT INTO caches (id, data) VALUES (?, ?)", "counter", "0")
    both_read = asyncio.Barrier(2)

    async def increment() -> None:
        async with database.transaction() as tx:
            row = await tx.fetch_one("SELECT data FROM caches WHERE id = ?", "counter")
            assert row is not None
            await both_read.wait()
            await tx.execute("UPDATE caches SET data = ? WHERE id = ?", str(int(row["data"]) + 1), "counter")

    await asyncio.wait_for(asyncio.gather(increment(), increment()), timeout=20)
    assert await database.fetch_one("SELECT data FROM caches WHERE id = ?", "counter") == {"data": "1"}


@postgres_only
async def test_lock_key_blocks_the_same_key_only(database: Database) -> None:
    # PostgreSQL only: SQLite has one writer, so every transaction excludes every other.
    holding = asyncio.Event()
    release = asyncio.Event()

    async def hold(key: str) -> None:
        async with database.transaction(lock_key=key):
            holding.set()
            await release.wait()

    async def touch(key: str) -> None:
        async with database.transaction(lock_key=key) as tx:
            await tx.fetch_one("SELECT 1 AS one")

    holder = asyncio.create_task(hold("a"))
    try:
        await asyncio.wait_for(holding.wait(), timeout=5)
        await asyncio.wait_for(touch("b"), timeout=5)  # another key: not blocked
        same = asyncio.create_task(touch("a"))
        done, _ = await asyncio.wait({same}, timeout=0.3)
        assert not done, "a second holder of the same key got in"
        release.set()
        await asyncio.wait_for(same, timeout=5)
    finally:
        release.set()
        await holder


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("mysql://localhost/db", id="unknown-scheme"),
        pytest.param("", id="empty"),
        pytest.param(f"postgresql://postgres@127.0.0.1:{_closed_port()}/db", id="postgres-refused"),
    ],
)
async def test_bad_url_is_store_unavailable(url: str) -> None:
    with pytest.raises(StoreUnavailable):
        await open_database(url)


async def test_unopenable_sqlite_path_is_store_unavailable(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    with pytest.raises(StoreUnavailable):
        await open_database(f"sqlite:///{not_a_dir / 'store.db'}")


async def test_sqlite_file_that_is_not_a_database_is_store_unavailable(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite database" * 100)
    with pytest.raises(StoreUnavailable):
        await open_database(f"sqlite:///{garbage}")


@pytest.mark.postgres
async def test_missing_postgres_database_is_store_unavailable(postgres_server: str) -> None:
    with pytest.raises(StoreUnavailable):
        await open_database(postgres_server.rsplit("/", 1)[0] + "/appconnect_no_such_database")
