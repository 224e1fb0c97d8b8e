"""Connector account data (cached descriptor values) and generic expiring caches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from composer.store._util import dump_json, load_json, now_ms
from composer.store.database import Database

__all__ = ["AccountDataStore", "CachedValue"]


@dataclass(frozen=True, slots=True)
class CachedValue:
    data: Any
    updated_at_ms: int


class AccountDataStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, scope_id: str, platform: str, key: str) -> CachedValue | None:
        row = await self._db.fetch_one(
            "SELECT data, updated_at FROM account_data WHERE scope_id = ? AND platform_name = ? AND data_key = ?",
            scope_id,
            platform,
            key,
        )
        if row is None:
            return None
        return CachedValue(load_json(row["data"], None), row["updated_at"])

    async def put(self, *, scope_id: str, platform: str, key: str, data: Any) -> None:
        await self._db.execute(
            """INSERT INTO account_data (scope_id, platform_name, data_key, data, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (scope_id, platform_name, data_key)
               DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at""",
            scope_id,
            platform,
            key,
            dump_json(data),
            now_ms(),
        )

    async def delete(self, *, scope_id: str, platform: str, key: str) -> None:
        await self._db.execute(
            "DELETE FROM account_data WHERE scope_id = ? AND platform_name = ? AND data_key = ?",
            scope_id,
            platform,
            key,
        )
