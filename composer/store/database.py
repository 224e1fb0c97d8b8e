"""The small SQL surface every store module is written against, with two backends.

SQL is written once, with ``?`` placeholders and the subset both SQLite (>= 3.35) and
PostgreSQL understand (``ON CONFLICT``, ``RETURNING``, TEXT/BIGINT columns, JSON kept as
TEXT). The PostgreSQL backend rewrites placeholders to ``$n``. Rows come back as dicts.

SQLite runs on one aiosqlite connection guarded by an ``asyncio.Lock``: statements and
whole transactions are serialised, which is what SQLite does anyway, and a transaction
never sees another coroutine's statements. Transactions must contain database work only
(never a CRM call), so the lock is held for microseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

import aiosqlite

from composer.store.exceptions import LockTimeout, StoreError, StoreUnavailable

__all__ = ["Database", "Executor", "Row", "open_database"]

Row = dict[str, Any]
Dialect = Literal["sqlite", "postgres"]


class Executor(Protocol):
    """What a transaction (or the database outside one) can run."""

    async def execute(self, sql: str, *params: Any) -> int: ...
    async def fetch_one(self, sql: str, *params: Any) -> Row | None: ...
    async def fetch_all(self, sql: str, *params: Any) -> list[Row]: ...


class Database(Executor, Protocol):
    dialect: Dialect

    def transaction(self, *, lock_key: str | None = None) -> Any:
        """Async context manager yielding an Executor; ``lock_key`` serialises per key."""

    async def executescript(self, script: str) -> None: ...
    async def close(self) -> None: ...


# --------------------------------------------------------------------------- SQLite


class _SqliteExecutor:
    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, *params: Any) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite: {exc}") from exc

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        try:
            async with self._conn.execute(sql, params) as cursor:
                row = await cursor.fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite: {exc}") from exc
        return dict(row) if row is not None else None

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        try:
            async with self._conn.execute(sql, params) as cursor:
                rows = await cursor.fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite: {exc}") from exc
        return [dict(r) for r in rows]


class SqliteDatabase:
    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._executor = _SqliteExecutor(conn)

    @classmethod
    async def open(cls, path: str) -> SqliteDatabase:
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open SQLite database {path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            # busy_timeout first: switching to WAL needs a lock another process may hold.
            # These are also the first reads of the file, so "not a database" shows up here.
            for pragma in (
                "PRAGMA busy_timeout=20000",
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA foreign_keys=ON",
            ):
                await conn.execute(pragma)
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreUnavailable(f"cannot open SQLite database {path}: {exc}") from exc
        return cls(conn)

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._lock:
            return await self._executor.execute(sql, *params)

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        async with self._lock:
            return await self._executor.fetch_one(sql, *params)

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        async with self._lock:
            return await self._executor.fetch_all(sql, *params)

    @asynccontextmanager
    async def transaction(self, *, lock_key: str | None = None) -> AsyncIterator[Executor]:
        # lock_key is implied: the connection lock already serialises every transaction.
        del lock_key
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout=20)
        except TimeoutError:
            raise LockTimeout("database lock wait exceeded 20 s") from None
        try:
            await self._executor.execute("BEGIN IMMEDIATE")
            try:
                yield self._executor
                await self._executor.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (e.g. SQLITE_BUSY), which leaves the transaction
                # open: without this ROLLBACK every later BEGIN would fail. SQLite may already
                # have rolled back by itself (SQLITE_FULL, SQLITE_IOERR); then there is nothing
                # to do, and a ROLLBACK error must not hide the original exception.
                if self._conn.in_transaction:
                    with contextlib.suppress(StoreError):
                        await self._executor.execute("ROLLBACK")
                raise
        finally:
            self._lock.release()

    async def executescript(self, script: str) -> None:
        async with self._lock:
            try:
                await self._conn.executescript(script)
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite: {exc}") from exc

    async def close(self) -> None:
        await self._conn.close()


# --------------------------------------------------------------------------- PostgreSQL

# A `?` is a placeholder only outside string literals, quoted identifiers and comments;
# those are matched whole (and kept as they are) so a `?` inside them is never rewritten.
_PLACEHOLDER_OR_SKIPPED = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\?""",
    re.DOTALL,
)


def _to_postgres(sql: str) -> str:
    counter = iter(range(1, 10_000))

    def replace(match: re.Match[str]) -> str:
        return f"${next(counter)}" if match.group() == "?" else match.group()

    return _PLACEHOLDER_OR_SKIPPED.sub(replace, sql)


def _postgres_errors() -> tuple[type[BaseException], ...]:
    """Driver exceptions translated to StoreError: server errors, client/protocol errors, and
    OSError, which covers a dropped connection and asyncpg's ``command_timeout`` (TimeoutError)."""
    import asyncpg

    return (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


def lock_id(key: str) -> int:
    """A signed 64-bit advisory-lock id derived from a text key."""
    value = (zlib.crc32(key.encode()) << 32) | zlib.adler32(key.encode())
    return value - (1 << 64) if value >= 1 << 63 else value


class _PostgresExecutor:
    __slots__ = ("_conn",)

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, sql: str, *params: Any) -> int:
        try:
            status: str = await self._conn.execute(_to_postgres(sql), *params)
        except _postgres_errors() as exc:
            raise StoreError(f"postgres: {exc}") from exc
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        try:
            row = await self._conn.fetchrow(_to_postgres(sql), *params)
        except _postgres_errors() as exc:
            raise StoreError(f"postgres: {exc}") from exc
        return dict(row) if row is not None else None

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        try:
            rows = await self._conn.fetch(_to_postgres(sql), *params)
        except _postgres_errors() as exc:
            raise StoreError(f"postgres: {exc}") from exc
        return [dict(r) for r in rows]


class PostgresDatabase:
    dialect: Dialect = "postgres"

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, min_size: int = 2, max_size: int = 10) -> PostgresDatabase:
        import asyncpg

        failures: tuple[type[BaseException], ...] = (*_postgres_errors(), ValueError)  # ValueError: bad URL
        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, command_timeout=30)
        except failures as exc:
            raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
        return cls(pool)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        """A pooled connection; failing to get one (server gone, pool closed) is StoreUnavailable."""
        try:
            conn = await self._pool.acquire()
        except _postgres_errors() as exc:
            raise StoreUnavailable(f"cannot reach PostgreSQL: {exc}") from exc
        try:
            yield conn
        finally:
            await self._pool.release(conn)

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._connection() as conn:
            return await _PostgresExecutor(conn).execute(sql, *params)

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        async with self._connection() as conn:
            return await _PostgresExecutor(conn).fetch_one(sql, *params)

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        async with self._connection() as conn:
            return await _PostgresExecutor(conn).fetch_all(sql, *params)

    @asynccontextmanager
    async def transaction(self, *, lock_key: str | None = None) -> AsyncIterator[Executor]:
        import asyncpg

        async with self._connection() as conn:
            try:
                async with conn.transaction():
                    executor = _PostgresExecutor(conn)
                    if lock_key is not None:
                        await conn.execute("SET LOCAL lock_timeout = '20s'")
                        try:
                            await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_id(lock_key))
                        except asyncpg.exceptions.LockNotAvailableError as exc:
                            raise LockTimeout(f"lock {lock_key!r} not granted in 20 s") from exc
                    yield executor
            except _postgres_errors() as exc:
                raise StoreError(f"postgres: {exc}") from exc

    async def executescript(self, script: str) -> None:
        async with self._connection() as conn:
            try:
                await conn.execute(script)
            except _postgres_errors() as exc:
                raise StoreError(f"postgres: {exc}") from exc

    async def close(self) -> None:
        await self._pool.close()


async def open_database(url: str) -> SqliteDatabase | PostgresDatabase:
    """Open the database named by a ``DATABASE_URL``-style URL."""
    if url.startswith("sqlite:"):
        # sqlite:///relative/path, sqlite:////absolute/path, sqlite:///:memory:
        path = url.removeprefix("sqlite:").removeprefix("///")
        return await SqliteDatabase.open(path or ":memory:")
    if url.startswith(("postgresql:", "postgres:")):
        return await PostgresDatabase.open(url)
    raise StoreUnavailable(f"unsupported database URL scheme in {url.split(':', 1)[0]!r}")
