"""Contact lookup cache, per CRM user and per lookup options (spec §9, §16.6)."""

from __future__ import annotations

from typing import Any

from composer.store._util import dump_json, load_json, now_ms
from composer.store.database import Database

__all__ = ["ContactCache"]


class ContactCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, platform: str, user_id: str, phone_number: str, lookup_key: str) -> list[Any] | None:
        row = await self._db.fetch_one(
            "SELECT data FROM contact_cache WHERE platform = ? AND user_id = ? AND phone_number = ? AND lookup_key = ?",
            platform,
            user_id,
            phone_number,
            lookup_key,
        )
        if row is None:
            return None
        data = load_json(row["data"], None)
        return data if isinstance(data, list) else None

    async def put(
        self, *, platform: str, user_id: str, phone_number: str, lookup_key: str, contacts: list[Any]
    ) -> None:
        await self._db.execute(
            """INSERT INTO contact_cache (platform, user_id, phone_number, lookup_key, data, created_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (platform, user_id, phone_number, lookup_key)
               DO UPDATE SET data = excluded.data, created_at = excluded.created_at""",
            platform,
            user_id,
            phone_number,
            lookup_key,
            dump_json(contacts),
            now_ms(),
        )

    async def delete(
        self, *, platform: str, user_id: str, phone_number: str, lookup_key: str | None = None
    ) -> None:
        """Forget one lookup, or (lookup_key None) every cached lookup of that number."""
        if lookup_key is None:
            await self._db.execute(
                "DELETE FROM contact_cache WHERE platform = ? AND user_id = ? AND phone_number = ?",
                platform,
                user_id,
                phone_number,
            )
        else:
            await self._db.execute(
                "DELETE FROM contact_cache WHERE platform = ? AND user_id = ? AND phone_number = ? AND lookup_key = ?",
                platform,
                user_id,
                phone_number,
                lookup_key,
            )

    async def latest(self, *, platform: str, user_id: str, phone_number: str) -> list[Any] | None:
        """The most recently cached contact array for a number, any lookup options (group SMS)."""
        row = await self._db.fetch_one(
            """SELECT data FROM contact_cache WHERE platform = ? AND user_id = ? AND phone_number = ?
               ORDER BY created_at DESC LIMIT 1""",
            platform,
            user_id,
            phone_number,
        )
        data = load_json(row["data"], None) if row else None
        return data if isinstance(data, list) else None

    async def purge_older_than(self, cutoff_ms: int) -> int:
        return await self._db.execute_bulk("DELETE FROM contact_cache WHERE created_at < ?", cutoff_ms)
