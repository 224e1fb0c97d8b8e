"""Versioned SQL migrations, applied in order at start-up and by ``appconnect migrate``.

Files are ``migrations/NNNN_name.sql``; each runs once, recorded in ``schema_migrations``.
On PostgreSQL an advisory lock makes exactly one of several starting instances migrate.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from importlib import resources

from composer.store._util import SQL_OPAQUE
from composer.store.database import Database

__all__ = ["Migration", "apply_migrations", "list_migrations"]

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def list_migrations() -> list[Migration]:
    folder = resources.files("composer.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text()))
    return sorted(found, key=lambda m: m.version)


async def apply_migrations(db: Database) -> list[Migration]:
    """Apply pending migrations; returns those applied now."""
    applied_now: list[Migration] = []
    async with db.transaction(lock_key="appconnect:migrations") as tx:
        await tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        )
        done = {row["version"] for row in await tx.fetch_all("SELECT version FROM schema_migrations")}
    for migration in list_migrations():
        if migration.version in done:
            continue
        async with db.transaction(lock_key="appconnect:migrations") as tx:
            again = await tx.fetch_one(
                "SELECT version FROM schema_migrations WHERE version = ?", migration.version
            )
            if again is not None:
                continue
            for statement in _statements(migration.sql):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                migration.version,
                migration.name,
                int(time.time() * 1000),
            )
        applied_now.append(migration)
    return applied_now


# Statement ends are the `;` outside string literals, quoted identifiers and comments.
_SKIPPED_OR_END = re.compile(rf"{SQL_OPAQUE}|;", re.DOTALL)


def _statements(sql: str) -> list[str]:
    statements, start = [], 0
    for match in _SKIPPED_OR_END.finditer(sql):
        if match.group() == ";":
            statements.append(sql[start : match.start()])
            start = match.end()
    statements.append(sql[start:])
    return [text for text in (_without_comments(s).strip() for s in statements) if text]


def _without_comments(statement: str) -> str:
    """Whole-line ``--`` comments dropped (PostgreSQL would accept them; this keeps errors short)."""
    return "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
