"""The small SQL surface every store module is written against, with two backends.

SQL is written once, with ``?`` placeholders and the subset both SQLite (>= 3.35) and
PostgreSQL understand (``ON CONFLICT``, ``RETURNING``, TEXT/BIGINT columns, JSON kept as
TEXT). The PostgreSQL backend rewrites placeholders to ``$n``. Rows come back as dicts.

The backends live in ``sqlite_backend`` (the default; how it keeps the event loop free is
explained there) and ``postgres_backend`` (asyncpg pool, advisory locks for ``lock_key``).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from composer.store.exceptions import StoreUnavailable
from composer.store.postgres_backend import PostgresDatabase
from composer.store.sqlite_backend import SqliteDatabase

__all__ = ["Database", "Executor", "Row", "open_database"]

Row = dict[str, Any]
Dialect = Literal["sqlite", "postgres"]


class Executor(Protocol):
    """What a transaction (or the database outside one) can run."""

    async def execute(self, sql: str, *params: Any) -> int: ...
    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        """The first row of a query that selects by key or has a LIMIT (SQLite reads them all)."""

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]: ...


class Database(Executor, Protocol):
    @property
    def dialect(self) -> Dialect: ...

    def transaction(self, *, lock_key: str | None = None) -> Any:
        """Async context manager yielding an Executor; ``lock_key`` serialises per key."""

    async def execute_bulk(self, sql: str, *params: Any) -> int:
        """A write that may touch many rows (purges of expired rows); SQLite runs it off the loop."""

    async def executescript(self, script: str) -> None: ...
    async def close(self) -> None: ...


async def open_database(url: str) -> Database:
    """Open the database named by a ``DATABASE_URL``-style URL."""
    if url.startswith("sqlite:"):
        # sqlite:///relative/path, sqlite:////absolute/path, sqlite:///:memory:
        path = url.removeprefix("sqlite:").removeprefix("///")
        return await SqliteDatabase.open(path or ":memory:")
    if url.startswith(("postgresql:", "postgres:")):
        return await PostgresDatabase.open(url)
    raise StoreUnavailable(f"unsupported database URL scheme in {url.split(':', 1)[0]!r}")
