"""The durable side-effect task table (``plugin_tasks``), one backend-neutral implementation.

States: ``pending`` (due at ``next_run_at``) -> ``running`` (leased until ``locked_until``)
-> ``done`` | ``pending`` again (retry) | ``dead`` (dead letter, kept for inspection).

Claiming is one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING``: on PostgreSQL
the sub-select takes ``FOR UPDATE SKIP LOCKED`` so concurrent workers never claim a row
twice nor wait on each other; on SQLite the statement runs in a ``BEGIN IMMEDIATE``
transaction, which holds the database write lock. A ``running`` row whose lease expired
(its worker died) is claimable again. Payloads are encrypted at rest (they carry notes).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Protocol

import msgspec

from composer.security.crypto import SecretBox
from composer.store._util import now_ms
from composer.store.database import Database

__all__ = ["NewTaskRow", "PluginTaskStore", "StoredTask", "TaskRow"]

_DUE = (
    "(state = 'pending' AND next_run_at <= ?) OR (state = 'running' AND locked_until < ?)"
)


class NewTaskRow(Protocol):
    """What ``enqueue`` needs (``composer.pipeline.tasks.NewTask`` is one)."""

    @property
    def plugin(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> str: ...
    @property
    def max_attempts(self) -> int: ...


class StoredTask(msgspec.Struct, kw_only=True, frozen=True):
    """A claimed task: the payload decrypted, ``attempts`` including the one about to run."""

    id: str
    plugin: str
    kind: str
    payload: str
    attempts: int
    max_attempts: int


class TaskRow(StoredTask, kw_only=True, frozen=True):
    """A task as stored (for inspection and tests)."""

    state: str
    next_run_at: int
    last_error: str


class PluginTaskStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    def _seal(self, task_id: str, payload: str) -> str:
        return self._box.encrypt(payload, context=f"plugin_tasks.payload:{task_id}") or ""

    def _open(self, task_id: str, stored: str) -> str:
        return self._box.decrypt(stored, context=f"plugin_tasks.payload:{task_id}") or ""

    async def enqueue(self, tasks: Sequence[NewTaskRow], *, delay_seconds: float = 0.0) -> list[str]:
        now = now_ms()
        due = now + int(delay_seconds * 1000)
        ids: list[str] = []
        async with self._db.transaction() as tx:
            for task in tasks:
                task_id = secrets.token_hex(16)
                await tx.execute(
                    "INSERT INTO plugin_tasks (id, plugin, kind, payload, state, attempts, max_attempts, "
                    "next_run_at, locked_until, last_error, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, NULL, '', ?, ?)",
                    task_id, task.plugin, task.kind, self._seal(task_id, task.payload),
                    task.max_attempts, due, now, now,
                )
                ids.append(task_id)
        return ids

    async def claim(self, *, limit: int, lease_seconds: float) -> list[StoredTask]:
        now = now_ms()
        until = now + int(lease_seconds * 1000)
        lock = " FOR UPDATE SKIP LOCKED" if self._db.dialect == "postgres" else ""
        sql = (
            "UPDATE plugin_tasks SET state = 'running', attempts = attempts + 1, locked_until = ?, updated_at = ? "
            f"WHERE id IN (SELECT id FROM plugin_tasks WHERE {_DUE} ORDER BY next_run_at, id LIMIT ?{lock}) "
            "RETURNING id, plugin, kind, payload, attempts, max_attempts"
        )
        async with self._db.transaction() as tx:
            rows = await tx.fetch_all(sql, until, now, now, now, limit)
        rows.sort(key=lambda r: r["id"])
        return [
            StoredTask(
                id=row["id"],
                plugin=row["plugin"],
                kind=row["kind"],
                payload=self._open(row["id"], row["payload"]),
                attempts=int(row["attempts"]),
                max_attempts=int(row["max_attempts"]),
            )
            for row in rows
        ]

    async def complete(self, task_id: str) -> None:
        await self._db.execute(
            "UPDATE plugin_tasks SET state = 'done', locked_until = NULL, last_error = '', updated_at = ? WHERE id = ?",
            now_ms(), task_id,
        )

    async def retry(self, task_id: str, *, error: str, delay_seconds: float) -> None:
        now = now_ms()
        await self._db.execute(
            "UPDATE plugin_tasks SET state = 'pending', locked_until = NULL, last_error = ?, next_run_at = ?, "
            "updated_at = ? WHERE id = ?",
            error[:1000], now + int(delay_seconds * 1000), now, task_id,
        )

    async def bury(self, task_id: str, *, error: str) -> None:
        await self._db.execute(
            "UPDATE plugin_tasks SET state = 'dead', locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ?",
            error[:1000], now_ms(), task_id,
        )

    async def release(self, task_id: str) -> None:
        """Give back a task interrupted by shutdown, without counting the attempt."""
        await self._db.execute(
            "UPDATE plugin_tasks SET state = 'pending', locked_until = NULL, attempts = attempts - 1, updated_at = ? "
            "WHERE id = ? AND state = 'running'",
            now_ms(), task_id,
        )

    async def next_due_in(self) -> float | None:
        row = await self._db.fetch_one(
            "SELECT MIN(CASE WHEN state = 'pending' THEN next_run_at ELSE locked_until END) AS due "
            "FROM plugin_tasks WHERE state IN ('pending', 'running')"
        )
        if row is None or row["due"] is None:
            return None
        return max(0.0, (int(row["due"]) - now_ms()) / 1000)

    async def get(self, task_id: str) -> TaskRow | None:
        row = await self._db.fetch_one("SELECT * FROM plugin_tasks WHERE id = ?", task_id)
        return self._row(row) if row is not None else None

    async def list(self, *, state: str | None = None, plugin: str | None = None) -> list[TaskRow]:
        clauses, params = [], []
        if state is not None:
            clauses.append("state = ?")
            params.append(state)
        if plugin is not None:
            clauses.append("plugin = ?")
            params.append(plugin)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._db.fetch_all(f"SELECT * FROM plugin_tasks{where} ORDER BY created_at, id", *params)
        return [self._row(row) for row in rows]

    async def prune(self, *, older_than_seconds: float) -> int:
        """Delete ``done`` rows older than the cut-off (dead rows stay until someone looks)."""
        cutoff = now_ms() - int(older_than_seconds * 1000)
        return await self._db.execute_bulk("DELETE FROM plugin_tasks WHERE state = 'done' AND updated_at < ?", cutoff)

    def _row(self, row: dict[str, object]) -> TaskRow:
        task_id = str(row["id"])
        return TaskRow(
            id=task_id,
            plugin=str(row["plugin"]),
            kind=str(row["kind"]),
            payload=self._open(task_id, str(row["payload"])),
            attempts=int(str(row["attempts"])),
            max_attempts=int(str(row["max_attempts"])),
            state=str(row["state"]),
            next_run_at=int(str(row["next_run_at"])),
            last_error=str(row["last_error"]),
        )

