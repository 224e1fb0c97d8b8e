"""The SQLite backend: point statements on the event loop, every wait on aiosqlite's thread.

Why not every statement on aiosqlite's worker thread: on the machines we run on, one trip
to a worker thread and back costs 25-90 µs of CPU (a queue wake-up, a GIL hand-over, a
loop wake-up), while the statements this server runs (key lookups and single-row writes
on indexed tables) take 1-15 µs. Three trips per ``POST /callLog`` were two thirds of its
cost (measured with ``python -m benchmarks.bench_http``: 1,300 req/s through the thread,
2,400 inline). So the one rule of never blocking the event loop is kept by construction
rather than by a thread hop; nothing that can wait runs inline:

- **Lock waits.** The inline connection has ``busy_timeout=0``: when another process holds
  SQLite's write lock the statement fails at once with SQLITE_BUSY, and is retried on the
  aiosqlite connection, which waits (up to 20 s) on its own thread. A transaction whose
  ``BEGIN IMMEDIATE`` is busy runs entirely on the aiosqlite connection.
- **fsync.** WAL with ``synchronous=NORMAL`` syncs only when checkpointing, and automatic
  checkpoints are off on the inline connection: the aiosqlite connection checkpoints after
  every ``CHECKPOINT_EVERY`` changed rows, and finishes each one holding our lock (requests
  await it; the loop runs on). The lock matters: a checkpoint racing a steady stream of our
  own writes never catches up, so the WAL never restarts and grows without bound (measured:
  900 MB in 15 s of ``POST /callLog``, every lookup slower as the WAL index grew).
- **Long reads.** An inline SELECT has a budget of ``INLINE_BUDGET_SECONDS`` (a progress
  handler checks the clock every few thousand SQLite instructions); one that overruns it is
  interrupted and run again on the aiosqlite connection, so a listing of a large table costs
  the loop at most the budget. Writes get no budget: an interrupt that lands on a write's
  last instructions reports failure after the row is committed (seen in testing), so a write
  is never interrupted and retried. Writes here are single rows by key; the purges of
  expired rows, which may touch many, use ``execute_bulk`` and run on the worker thread.
- **Scripts** run on the aiosqlite connection.

Both connections are in this process and every use is serialised by one ``asyncio.Lock``
(as SQLite serialises writers anyway), so they never contend with each other, and a
transaction never sees another coroutine's statements. Transactions must contain database
work only (never a CRM call), so the lock is held for microseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import aiosqlite

from composer.store.exceptions import LockTimeout, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from composer.store.database import Executor, Row

__all__ = ["CHECKPOINT_EVERY", "SqliteDatabase"]

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 20
INLINE_BUDGET_SECONDS = 0.002  # longer inline statements are moved to the worker thread
_PROGRESS_EVERY = 2000  # SQLite VM instructions between two budget checks
CHECKPOINT_EVERY = 1000  # changed rows between two WAL checkpoints (a WAL of a few MB)
_PRAGMAS = ("PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


_MUST_WAIT = frozenset((sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT))


def _must_wait(exc: sqlite3.Error) -> bool:
    """Another process's lock (BUSY, LOCKED) or our own budget (INTERRUPT), extended codes too."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _MUST_WAIT


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class _Deferred(Exception):
    """An inline statement would have to wait or run long; it is run where that is allowed."""


class _InlineExecutor:
    """Statements on the event-loop thread, each within a time budget and with no lock waits."""

    __slots__ = ("_conn", "_deadline")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._deadline = float("inf")
        conn.set_progress_handler(self._over_budget, _PROGRESS_EVERY)

    def _over_budget(self) -> int:
        return 1 if time.perf_counter() > self._deadline else 0  # non-zero interrupts the statement

    def run(self, sql: str, params: tuple[Any, ...], fetch: bool, *, budget: float | None = None) -> Any:
        """Run one statement; ``_Deferred`` when it met a lock or (with a budget) ran too long."""
        self._deadline = time.perf_counter() + budget if budget is not None else float("inf")
        try:
            cursor = self._conn.execute(sql, params)
            if fetch:
                return cursor.fetchall()
            if cursor.description is not None:
                cursor.fetchall()  # a RETURNING statement is complete only once its rows are read
            return cursor.rowcount
        except sqlite3.Error as exc:
            if _must_wait(exc):
                raise _Deferred(str(exc)) from exc
            raise StoreError(f"sqlite: {exc}") from exc
        finally:
            self._deadline = float("inf")

    async def execute(self, sql: str, *params: Any) -> int:
        return int(self._in_transaction(sql, params, False))

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        rows: list[Row] = self._in_transaction(sql, params, True)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        rows: list[Row] = self._in_transaction(sql, params, True)
        return rows

    def _in_transaction(self, sql: str, params: tuple[Any, ...], fetch: bool) -> Any:
        # Inside BEGIN IMMEDIATE this connection already holds the write lock, so there is no
        # lock wait, and no budget either: SQLite would roll the whole transaction back on an
        # interrupt, and a retry elsewhere would run outside it. Transactions are short by rule.
        try:
            return self.run(sql, params, fetch)
        except _Deferred as exc:
            raise StoreError(f"sqlite: {exc}") from None


class _ThreadExecutor:
    """Statements on aiosqlite's worker thread, one trip each (execute and fetch together)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, *params: Any) -> int:
        try:
            cursor = await self._conn.execute(sql, params)
            if cursor.description is not None:
                # A statement that returns rows stays active until they are read, and aiosqlite's
                # thread keeps the last cursor alive: unread, it would hold a read transaction.
                await cursor.fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite: {exc}") from exc
        return int(cursor.rowcount)  # no trip needed

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        rows = await self.fetch_all(sql, *params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        try:
            rows: Any = await self._conn.execute_fetchall(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite: {exc}") from exc
        return list(rows)  # dicts: the connection's row factory is _dict_row


def _connection_target(path: str) -> tuple[str, bool]:
    """What both connections open: the file, or one shared in-memory database for ``:memory:``."""
    if path == ":memory:":
        return f"file:appconnect-{uuid.uuid4().hex}?mode=memory&cache=shared", True
    return path, False


class SqliteDatabase:
    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, inline: sqlite3.Connection, waiting: aiosqlite.Connection, *, wal: bool = True) -> None:
        self._wal = wal  # an in-memory database has no WAL to checkpoint
        self._inline_conn = inline
        self._inline = _InlineExecutor(inline)
        self._waiting_conn = waiting
        self._waiting = _ThreadExecutor(waiting)
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None  # the task inside transaction(), if any
        self._changes_at_checkpoint = 0
        self._checkpoint: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str) -> SqliteDatabase:
        target, uri = _connection_target(path)
        try:
            if not uri:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            waiting = await aiosqlite.connect(target, isolation_level=None, uri=uri)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open SQLite database {path}: {exc}") from exc
        waiting.row_factory = _dict_row  # type: ignore[assignment]  # aiosqlite types it as a class
        inline: sqlite3.Connection | None = None
        try:
            # busy_timeout first: switching to WAL needs a lock another process may hold.
            # These are also the first reads of the file, so "not a database" shows up here.
            for pragma in (f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}", "PRAGMA journal_mode=WAL", *_PRAGMAS):
                await waiting.execute_fetchall(pragma)
            # Not tied to this thread: a runtime may be driven from a second event loop (test
            # clients do that); SQLite itself serialises calls on one connection.
            inline = sqlite3.connect(target, isolation_level=None, uri=uri, check_same_thread=False)
            inline.row_factory = _dict_row
            for pragma in ("PRAGMA busy_timeout=0", "PRAGMA wal_autocheckpoint=0", *_PRAGMAS):
                inline.execute(pragma)
        except sqlite3.Error as exc:
            if inline is not None:
                inline.close()
            await waiting.close()
            raise StoreUnavailable(f"cannot open SQLite database {path}: {exc}") from exc
        return cls(inline, waiting, wal=not uri)

    # ------------------------------------------------------------- autocommit statements

    async def execute(self, sql: str, *params: Any) -> int:
        return int(await self._autocommit(sql, params, False))

    async def fetch_one(self, sql: str, *params: Any) -> Row | None:
        rows: list[Row] = await self._autocommit(sql, params, True)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, *params: Any) -> list[Row]:
        rows: list[Row] = await self._autocommit(sql, params, True)
        return rows

    def _refuse_nesting(self) -> None:
        # asyncio.Lock is not re-entrant: the same task waiting for the lock it holds would hang.
        if self._holder is not None and self._holder is asyncio.current_task():
            raise StoreError("database used outside the open transaction: pass its executor (executor=tx)")

    async def _autocommit(self, sql: str, params: tuple[Any, ...], fetch: bool) -> Any:
        self._refuse_nesting()
        async with self._lock:
            try:
                result = self._inline.run(sql, params, fetch, budget=INLINE_BUDGET_SECONDS if _is_read(sql) else None)
            except _Deferred:
                # Another process holds the write lock, or a read ran long: run it on the worker
                # thread, where waiting blocks nobody.
                if fetch:
                    result = await self._waiting.fetch_all(sql, *params)
                else:
                    result = await self._waiting.execute(sql, *params)
        self._after_write()
        return result

    # ------------------------------------------------------------------- transactions

    @asynccontextmanager
    async def transaction(self, *, lock_key: str | None = None) -> AsyncIterator[Executor]:
        # lock_key is implied: the connection lock already serialises every transaction.
        del lock_key
        self._refuse_nesting()
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout=LOCK_WAIT_SECONDS)
        except TimeoutError:
            raise LockTimeout(f"database lock wait exceeded {LOCK_WAIT_SECONDS} s") from None
        self._holder = asyncio.current_task()
        try:
            executor, conn = await self._begin()
            try:
                yield executor
                await executor.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (e.g. SQLITE_BUSY), which leaves the transaction
                # open: without this ROLLBACK every later BEGIN would fail. SQLite may already
                # have rolled back by itself (SQLITE_FULL, SQLITE_IOERR); then there is nothing
                # to do, and a ROLLBACK error must not hide the original exception.
                if conn.in_transaction:
                    with contextlib.suppress(StoreError):
                        await executor.execute("ROLLBACK")
                raise
        finally:
            self._holder = None
            self._lock.release()
        self._after_write()

    async def _begin(self) -> tuple[Executor, sqlite3.Connection | aiosqlite.Connection]:
        """BEGIN IMMEDIATE inline, or, when another process holds the lock, on the worker thread."""
        try:
            self._inline.run("BEGIN IMMEDIATE", (), False)
            return self._inline, self._inline_conn
        except _Deferred:
            try:
                await self._waiting.execute("BEGIN IMMEDIATE")
            except StoreError as exc:
                raise LockTimeout(f"database lock wait exceeded {LOCK_WAIT_SECONDS} s: {exc}") from exc
            return self._waiting, self._waiting_conn

    # --------------------------------------------------------------------- checkpoints

    def _after_write(self) -> None:
        changes = self._inline_conn.total_changes
        if not self._wal or changes - self._changes_at_checkpoint < CHECKPOINT_EVERY:
            return
        if self._checkpoint is None or self._checkpoint.done():
            self._changes_at_checkpoint = changes
            self._checkpoint = asyncio.create_task(self._run_checkpoint(), name="sqlite-wal-checkpoint")

    async def _run_checkpoint(self) -> None:
        # Two PASSIVE passes (PASSIVE never waits for other processes). The first copies the bulk
        # of the WAL while requests go on; the second, with our writers held off by the lock,
        # copies only what they wrote meanwhile (measured: ~10 ms for 1,000 rows, then ~1 ms),
        # and completes, so the next write starts the WAL file over from the top.
        checkpoint = "PRAGMA wal_checkpoint(PASSIVE)"
        try:
            await self._waiting_conn.execute_fetchall(checkpoint)
            async with self._lock:
                rows = await self._waiting_conn.execute_fetchall(checkpoint)
        except sqlite3.Error as exc:
            log.warning("sqlite.checkpoint_failed error=%s", exc)
            return
        for row in rows:
            if row["busy"]:  # another process kept part of the WAL; the next checkpoint retries
                log.info("sqlite.checkpoint_partial log=%s checkpointed=%s", row["log"], row["checkpointed"])

    async def execute_bulk(self, sql: str, *params: Any) -> int:
        # Writes get no inline budget (see the module docstring), so one that may touch many
        # rows goes to the worker thread from the start.
        self._refuse_nesting()
        async with self._lock:
            count = await self._waiting.execute(sql, *params)
        self._after_write()
        return count

    # ---------------------------------------------------------------------- whole scripts

    async def executescript(self, script: str) -> None:
        self._refuse_nesting()
        async with self._lock:
            try:
                await self._waiting_conn.executescript(script)
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite: {exc}") from exc

    async def close(self) -> None:
        if self._checkpoint is not None:
            await self._checkpoint
        async with self._lock:
            self._inline_conn.close()
            await self._waiting_conn.close()
