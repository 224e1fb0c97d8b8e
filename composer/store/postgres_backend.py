"""The PostgreSQL backend: an asyncpg pool; ``?`` placeholders become ``$n``.

``transaction(lock_key=...)`` takes a transaction-scoped advisory lock, so work on one key
(a call session, a conversation) is serialised across every server instance sharing the
database.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Literal

from composer.store._util import SQL_OPAQUE
from composer.store.exceptions import LockTimeout, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from composer.store.database import Executor, Row

__all__ = ["PostgresDatabase", "lock_id"]

# A `?` is a placeholder only outside string literals, quoted identifiers and comments;
# those are matched whole (and kept as they are) so a `?` inside them is never rewritten.
_PLACEHOLDER_OR_SKIPPED = re.compile(rf"{SQL_OPAQUE}|\?", re.DOTALL)


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
    dialect: Literal["postgres"] = "postgres"

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

    async def execute_bulk(self, sql: str, *params: Any) -> int:
        return await self.execute(sql, *params)  # asyncpg never blocks the loop

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
