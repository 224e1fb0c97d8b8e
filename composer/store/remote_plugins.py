"""Remote plugins: installations per RingCentral account, their credentials, async runs.

The manifest (``plugin_installations``) and the plugin-issued ``jwtToken``
(``plugin_credentials``, encrypted) live in separate tables: a token refresh rewrites only
the credential. Async task ids are bearer capabilities and are stored as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from composer.security.crypto import DecryptionError, SecretBox
from composer.store._util import dump_json, load_json, now_ms
from composer.store.database import Database

__all__ = ["AsyncRun", "Installation", "RemotePluginStore"]


class Installation(msgspec.Struct, kw_only=True, frozen=True):
    plugin_id: str
    rc_account_id: str
    plugin_name: str = ""
    plugin_access: str = ""
    owner_rc_account_id: str = ""
    manifest: dict[str, Any] = msgspec.field(default_factory=dict)


class AsyncRun(msgspec.Struct, kw_only=True, frozen=True):
    plugin_id: str
    rc_account_id: str
    platform: str
    user_id: str
    session_id: str
    log_id: str
    hashed_extension_id: str
    state: str  # pending (created) -> dispatched -> done | failed
    message: str
    expires_at: int


def _digest(task_id: str) -> str:
    return hashlib.sha256(task_id.encode()).hexdigest()


def _credential_context(plugin_id: str, rc_account_id: str) -> str:
    return f"plugin_credentials.jwt_token:{plugin_id}:{rc_account_id}"


class RemotePluginStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    # ------------------------------------------------------------ installations

    async def install(self, installation: Installation, *, jwt_token: str) -> None:
        now = now_ms()
        sealed = self._box.encrypt(jwt_token, context=_credential_context(installation.plugin_id, installation.rc_account_id))
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO plugin_installations (plugin_id, rc_account_id, plugin_name, plugin_access, "
                "owner_rc_account_id, manifest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (plugin_id, rc_account_id) DO UPDATE SET plugin_name = excluded.plugin_name, "
                "plugin_access = excluded.plugin_access, owner_rc_account_id = excluded.owner_rc_account_id, "
                "manifest = excluded.manifest, updated_at = excluded.updated_at",
                installation.plugin_id, installation.rc_account_id, installation.plugin_name,
                installation.plugin_access, installation.owner_rc_account_id, dump_json(installation.manifest), now, now,
            )
            await tx.execute(
                "INSERT INTO plugin_credentials (plugin_id, rc_account_id, jwt_token, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (plugin_id, rc_account_id) DO UPDATE SET jwt_token = excluded.jwt_token, "
                "updated_at = excluded.updated_at",
                installation.plugin_id, installation.rc_account_id, sealed or "", now,
            )

    async def uninstall(self, plugin_id: str, rc_account_id: str) -> bool:
        """Remove the installation, its credential and its async runs; True if it existed."""
        async with self._db.transaction() as tx:
            count = await tx.execute(
                "DELETE FROM plugin_installations WHERE plugin_id = ? AND rc_account_id = ?", plugin_id, rc_account_id
            )
            await tx.execute(
                "DELETE FROM plugin_credentials WHERE plugin_id = ? AND rc_account_id = ?", plugin_id, rc_account_id
            )
            await tx.execute(
                "DELETE FROM plugin_async_tasks WHERE plugin_id = ? AND rc_account_id = ?", plugin_id, rc_account_id
            )
        return int(count) > 0

    async def get(self, plugin_id: str, rc_account_id: str) -> Installation | None:
        row = await self._db.fetch_one(
            "SELECT * FROM plugin_installations WHERE plugin_id = ? AND rc_account_id = ?", plugin_id, rc_account_id
        )
        return self._installation(row) if row is not None else None

    async def for_account(self, rc_account_id: str) -> list[Installation]:
        rows = await self._db.fetch_all(
            "SELECT * FROM plugin_installations WHERE rc_account_id = ? ORDER BY plugin_id", rc_account_id
        )
        return [self._installation(row) for row in rows]

    async def accounts(self) -> set[str]:
        rows = await self._db.fetch_all("SELECT DISTINCT rc_account_id FROM plugin_installations")
        return {str(row["rc_account_id"]) for row in rows}

    @staticmethod
    def _installation(row: dict[str, Any]) -> Installation:
        manifest = load_json(row["manifest"], {})
        return Installation(
            plugin_id=row["plugin_id"],
            rc_account_id=row["rc_account_id"],
            plugin_name=row["plugin_name"],
            plugin_access=row["plugin_access"],
            owner_rc_account_id=row["owner_rc_account_id"],
            manifest=manifest if isinstance(manifest, dict) else {},
        )

    # ------------------------------------------------------------ credentials

    async def token(self, plugin_id: str, rc_account_id: str) -> str | None:
        row = await self._db.fetch_one(
            "SELECT jwt_token FROM plugin_credentials WHERE plugin_id = ? AND rc_account_id = ?", plugin_id, rc_account_id
        )
        if row is None or not row["jwt_token"]:
            return None
        try:
            return self._box.decrypt(row["jwt_token"], context=_credential_context(plugin_id, rc_account_id))
        except DecryptionError:
            return None

    async def set_token(self, plugin_id: str, rc_account_id: str, jwt_token: str) -> None:
        sealed = self._box.encrypt(jwt_token, context=_credential_context(plugin_id, rc_account_id))
        await self._db.execute(
            "UPDATE plugin_credentials SET jwt_token = ?, updated_at = ? WHERE plugin_id = ? AND rc_account_id = ?",
            sealed or "", now_ms(), plugin_id, rc_account_id,
        )

    async def users_of_account(self, rc_account_id: str) -> list[tuple[str, str]]:
        """(id, platform) of every user row of the account (to clear their plugin settings)."""
        rows = await self._db.fetch_all("SELECT id, platform FROM users WHERE rc_account_id = ?", rc_account_id)
        return [(str(row["id"]), str(row["platform"])) for row in rows]

    # ------------------------------------------------------------ async runs

    async def open_run(self, task_id: str, run: AsyncRun) -> AsyncRun:
        """Create the run unless it exists (retries reuse one id); the stored run either way."""
        now = now_ms()
        await self._db.execute(
            "INSERT INTO plugin_async_tasks (id_hash, plugin_id, rc_account_id, platform, user_id, session_id, "
            "log_id, hashed_extension_id, state, message, expires_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO NOTHING",
            _digest(task_id), run.plugin_id, run.rc_account_id, run.platform, run.user_id, run.session_id,
            run.log_id, run.hashed_extension_id, run.state, run.message, run.expires_at, now, now,
        )
        stored = await self.run(task_id, include_expired=True)
        return stored if stored is not None else run

    async def run(self, task_id: str, *, include_expired: bool = False) -> AsyncRun | None:
        row = await self._db.fetch_one("SELECT * FROM plugin_async_tasks WHERE id_hash = ?", _digest(task_id))
        if row is None or (not include_expired and int(row["expires_at"]) <= now_ms()):
            return None
        return AsyncRun(
            plugin_id=row["plugin_id"],
            rc_account_id=row["rc_account_id"],
            platform=row["platform"],
            user_id=row["user_id"],
            session_id=row["session_id"],
            log_id=row["log_id"],
            hashed_extension_id=row["hashed_extension_id"],
            state=row["state"],
            message=row["message"],
            expires_at=int(row["expires_at"]),
        )

    async def mark_run(self, task_id: str, *, state: str, message: str = "", only_from: tuple[str, ...] = ()) -> bool:
        """Move a run to ``state``; with ``only_from``, only from those states. True if it moved."""
        sql = "UPDATE plugin_async_tasks SET state = ?, message = ?, updated_at = ? WHERE id_hash = ?"
        params: list[Any] = [state, message[:1000], now_ms(), _digest(task_id)]
        if only_from:
            sql += f" AND state IN ({', '.join('?' for _ in only_from)})"
            params.extend(only_from)
        return await self._db.execute(sql, *params) > 0

    async def delete_run(self, task_id: str) -> None:
        await self._db.execute("DELETE FROM plugin_async_tasks WHERE id_hash = ?", _digest(task_id))

    async def purge_expired_runs(self) -> int:
        return await self._db.execute_bulk("DELETE FROM plugin_async_tasks WHERE expires_at <= ?", now_ms())
