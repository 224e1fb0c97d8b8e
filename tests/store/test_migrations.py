"""composer/store/migrations.py on both backends: once, idempotent, concurrent-safe, atomic."""

from __future__ import annotations

import asyncio

import pytest

from composer.store import Database, StoreError, apply_migrations
from composer.store import migrations as migrations_module
from composer.store.database import open_database
from composer.store.migrations import Migration, list_migrations


async def _recorded_versions(db: Database) -> list[int]:
    rows = await db.fetch_all("SELECT version FROM schema_migrations ORDER BY version")
    return [row["version"] for row in rows]


def test_migration_files_are_numbered_in_order() -> None:
    found = list_migrations()
    versions = [m.version for m in found]
    assert versions, "no migration files found"
    assert versions == sorted(set(versions)), "migration versions must be unique"
    assert versions[0] == 1
    assert all(m.sql.strip() and m.name for m in found)


async def test_apply_once_then_nothing(database_url: str) -> None:
    db = await open_database(database_url)
    try:
        applied = await apply_migrations(db)
        assert [m.version for m in applied] == [m.version for m in list_migrations()]
        assert await _recorded_versions(db) == [m.version for m in list_migrations()]
        assert await db.fetch_all("SELECT id FROM users") == []

        assert await apply_migrations(db) == []
        assert await _recorded_versions(db) == [m.version for m in list_migrations()]
    finally:
        await db.close()


async def test_the_database_fixture_is_already_migrated(database: Database) -> None:
    assert await apply_migrations(database) == []


async def test_concurrent_apply_from_separate_connections_migrates_once(database_url: str) -> None:
    # Separate handles stand for separate server instances starting at the same time.
    handles = [await open_database(database_url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(apply_migrations(db) for db in handles))
        applied = sorted(m.version for result in results for m in result)
        assert applied == [m.version for m in list_migrations()], "each migration applied exactly once"
        assert await _recorded_versions(handles[0]) == applied
    finally:
        for db in handles:
            await db.close()


async def test_a_failing_migration_leaves_nothing_behind(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration(
        9999,
        "broken",
        "-- first statement works, second does not\n"
        "CREATE TABLE half_done (id TEXT PRIMARY KEY);\n"
        "INSERT INTO half_done (id) VALUES ('x');\n"
        "CREATE TABLE broken (;\n",
    )
    monkeypatch.setattr(migrations_module, "list_migrations", lambda: [*list_migrations(), broken])

    with pytest.raises(StoreError):
        await apply_migrations(database)

    assert 9999 not in await _recorded_versions(database)
    with pytest.raises(StoreError):  # DDL is transactional on both backends
        await database.fetch_all("SELECT id FROM half_done")

    monkeypatch.undo()
    assert await apply_migrations(database) == []


def test_statement_splitting_ignores_semicolons_in_literals_and_comments() -> None:
    from composer.store.migrations import _statements

    sql = """-- a comment; with a semicolon
CREATE TABLE t (x TEXT DEFAULT 'a;b', "odd;name" TEXT);
/* block; comment */ INSERT INTO t (x) VALUES ('it''s; fine');
"""
    assert _statements(sql) == [
        """CREATE TABLE t (x TEXT DEFAULT 'a;b', "odd;name" TEXT)""",
        "/* block; comment */ INSERT INTO t (x) VALUES ('it''s; fine')",
    ]
