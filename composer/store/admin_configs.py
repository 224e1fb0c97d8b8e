"""Admin configuration per RingCentral account (id = H(rcAccountId))."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from composer.store._util import dump_json, load_json, now_ms
from composer.store.database import Database

__all__ = ["AdminConfig", "AdminConfigStore"]


@dataclass(slots=True)
class AdminConfig:
    id: str
    user_settings: dict[str, Any] = field(default_factory=dict)
    user_mappings: list[Any] = field(default_factory=list)
    custom_adapter: Any = None
    created_at_ms: int = 0
    updated_at_ms: int = 0


class AdminConfigStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, config_id: str) -> AdminConfig | None:
        row = await self._db.fetch_one("SELECT * FROM admin_configs WHERE id = ?", config_id)
        if row is None:
            return None
        return AdminConfig(
            id=row["id"],
            user_settings=load_json(row["user_settings"], {}),
            user_mappings=load_json(row["user_mappings"], []),
            custom_adapter=load_json(row["custom_adapter"], None),
            created_at_ms=row["created_at"],
            updated_at_ms=row["updated_at"],
        )

    async def upsert(
        self,
        config_id: str,
        *,
        user_settings: dict[str, Any] | None = None,
        user_mappings: list[Any] | None = None,
        custom_adapter: Any = None,
    ) -> None:
        """Create or update; ``None`` leaves a column as it is.

        One statement, so two concurrent upserts of different columns cannot lose either.
        """
        now = now_ms()
        settings = dump_json(user_settings) if user_settings is not None else None
        mappings = dump_json(user_mappings) if user_mappings is not None else None
        adapter = dump_json(custom_adapter) if custom_adapter is not None else None
        await self._db.execute(
            """INSERT INTO admin_configs (id, user_settings, user_mappings, custom_adapter, created_at, updated_at)
               VALUES (?, COALESCE(?, '{}'), COALESCE(?, '[]'), ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                 user_settings = COALESCE(?, admin_configs.user_settings),
                 user_mappings = COALESCE(?, admin_configs.user_mappings),
                 custom_adapter = COALESCE(?, admin_configs.custom_adapter),
                 updated_at = excluded.updated_at""",
            config_id,
            settings,
            mappings,
            adapter,
            now,
            now,
            settings,
            mappings,
            adapter,
        )
