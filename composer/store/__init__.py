"""Persistence: one async interface over SQLite (aiosqlite) or PostgreSQL (asyncpg).

``Store`` groups one object per table family; services use those and never write SQL.
"""

from __future__ import annotations

from composer.security.crypto import SecretBox
from composer.store.account_data import AccountDataStore, CachedValue
from composer.store.admin_configs import AdminConfig, AdminConfigStore
from composer.store.call_logs import CallLogStore
from composer.store.contact_cache import ContactCache
from composer.store.database import Database, Executor, Row, open_database
from composer.store.exceptions import LockTimeout, StoreError, StoreUnavailable
from composer.store.message_logs import MessageLogStore
from composer.store.migrations import apply_migrations
from composer.store.note_cache import NoteCache
from composer.store.plugin_tasks import PluginTaskStore
from composer.store.remote_plugins import RemotePluginStore
from composer.store.users import UserRecord, UserStore

__all__ = [
    "AccountDataStore",
    "AdminConfig",
    "AdminConfigStore",
    "CachedValue",
    "CallLogStore",
    "ContactCache",
    "Database",
    "Executor",
    "LockTimeout",
    "MessageLogStore",
    "NoteCache",
    "PluginTaskStore",
    "RemotePluginStore",
    "Row",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "UserRecord",
    "UserStore",
    "apply_migrations",
    "open_database",
    "open_store",
]


class Store:
    """Every table family, sharing one database handle."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self.db = db
        self.box = box
        self.users = UserStore(db, box)
        self.contacts = ContactCache(db)
        self.notes = NoteCache(db, box)
        self.account_data = AccountDataStore(db)
        self.admin = AdminConfigStore(db)
        self.plugin_tasks = PluginTaskStore(db, box)
        self.remote_plugins = RemotePluginStore(db, box)
        self.call_logs = CallLogStore(db)
        self.message_logs = MessageLogStore(db)

    async def close(self) -> None:
        await self.db.close()


async def open_store(url: str, box: SecretBox, *, migrate: bool = True) -> Store:
    db = await open_database(url)
    if migrate:
        await apply_migrations(db)
    return Store(db, box)
