"""The ``users`` table and the mutable ``UserRecord`` view handed to connectors.

Tokens and API keys are encrypted here, on the way in and out, so nothing above the
store ever sees ciphertext and nothing below it ever sees plaintext. ``apiKey`` and
``password`` are stripped from ``platformAdditionalInfo`` before every save.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from composer.security.crypto import SecretBox
from composer.store._util import dump_json, load_json, now_ms
from composer.store.database import Database, Executor, Row

__all__ = ["UserRecord", "UserStore"]

_STRIPPED_KEYS = ("apiKey", "password")


class UserRecord:
    """Mutable view of one ``users`` row, with the connector contract's attribute names."""

    __slots__ = (
        "_store",
        "accessToken",
        "hashedRcExtensionId",
        "hostname",
        "id",
        "platform",
        "platformAdditionalInfo",
        "rcAccountId",
        "refreshToken",
        "timezoneName",
        "timezoneOffset",
        "tokenExpiry",
        "userSettings",
    )

    def __init__(
        self,
        *,
        id: str,
        platform: str,
        hostname: str = "",
        timezoneName: str = "",
        timezoneOffset: str = "",
        rcAccountId: str | None = None,
        hashedRcExtensionId: str = "",
        accessToken: str = "",
        refreshToken: str = "",
        tokenExpiry: datetime | None = None,
        platformAdditionalInfo: dict[str, Any] | None = None,
        userSettings: dict[str, Any] | None = None,
        store: UserStore | None = None,
    ) -> None:
        self.id = id
        self.platform = platform
        self.hostname = hostname
        self.timezoneName = timezoneName
        self.timezoneOffset = timezoneOffset
        self.rcAccountId = rcAccountId
        self.hashedRcExtensionId = hashedRcExtensionId
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenExpiry = tokenExpiry
        self.platformAdditionalInfo = platformAdditionalInfo if platformAdditionalInfo is not None else {}
        self.userSettings = userSettings if userSettings is not None else {}
        self._store = store

    def setting(self, key: str, default: Any = None) -> Any:
        entry = self.userSettings.get(key)
        if isinstance(entry, dict) and entry.get("value") is not None:
            return entry["value"]
        return default

    @property
    def has_credentials(self) -> bool:
        return bool(self.accessToken)

    async def save(self) -> None:
        if self._store is None:
            raise RuntimeError("this UserRecord is not bound to a store")
        await self._store.save(self)

    async def destroy(self) -> None:
        if self._store is None:
            raise RuntimeError("this UserRecord is not bound to a store")
        await self._store.delete(self.id)

    def __repr__(self) -> str:  # never show secrets
        return f"UserRecord(id={self.id!r}, platform={self.platform!r})"


def _expiry_to_ms(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def _expiry_from_ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, tz=UTC)


class UserStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    def _record(self, row: Row) -> UserRecord:
        uid = row["id"]
        return UserRecord(
            id=uid,
            platform=row["platform"],
            hostname=row["hostname"],
            timezoneName=row["timezone_name"],
            timezoneOffset=row["timezone_offset"],
            rcAccountId=row["rc_account_id"],
            hashedRcExtensionId=row["hashed_rc_extension_id"],
            accessToken=self._box.decrypt(row["access_token"], context=f"users.accessToken:{uid}") or "",
            refreshToken=self._box.decrypt(row["refresh_token"], context=f"users.refreshToken:{uid}") or "",
            tokenExpiry=_expiry_from_ms(row["token_expiry"]),
            platformAdditionalInfo=load_json(row["platform_additional_info"], {}),
            userSettings=load_json(row["user_settings"], {}),
            store=self,
        )

    def new(self, **fields: Any) -> UserRecord:
        return UserRecord(store=self, **fields)

    async def get(self, user_id: str, platform: str, *, executor: Executor | None = None) -> UserRecord | None:
        """The user row for (id, platform); a row of another platform counts as missing."""
        row = await (executor or self._db).fetch_one(
            "SELECT * FROM users WHERE id = ? AND platform = ?", user_id, platform
        )
        return self._record(row) if row is not None else None

    async def get_by_id(self, user_id: str) -> UserRecord | None:
        row = await self._db.fetch_one("SELECT * FROM users WHERE id = ?", user_id)
        return self._record(row) if row is not None else None

    async def save(self, user: UserRecord, *, executor: Executor | None = None) -> None:
        info = {k: v for k, v in user.platformAdditionalInfo.items() if k not in _STRIPPED_KEYS}
        user.platformAdditionalInfo = info
        now = now_ms()
        await (executor or self._db).execute(
            """
            INSERT INTO users (id, platform, hostname, timezone_name, timezone_offset, rc_account_id,
                hashed_rc_extension_id, access_token, refresh_token, token_expiry,
                platform_additional_info, user_settings, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                platform = excluded.platform, hostname = excluded.hostname,
                timezone_name = excluded.timezone_name, timezone_offset = excluded.timezone_offset,
                rc_account_id = excluded.rc_account_id,
                hashed_rc_extension_id = excluded.hashed_rc_extension_id,
                access_token = excluded.access_token, refresh_token = excluded.refresh_token,
                token_expiry = excluded.token_expiry,
                platform_additional_info = excluded.platform_additional_info,
                user_settings = excluded.user_settings, updated_at = excluded.updated_at
            """,
            user.id,
            user.platform,
            user.hostname or "",
            user.timezoneName or "",
            str(user.timezoneOffset or ""),
            user.rcAccountId,
            user.hashedRcExtensionId or "",
            self._box.encrypt(user.accessToken or "", context=f"users.accessToken:{user.id}") or "",
            self._box.encrypt(user.refreshToken or "", context=f"users.refreshToken:{user.id}") or "",
            _expiry_to_ms(user.tokenExpiry),
            dump_json(info),
            dump_json(user.userSettings or {}),
            now,
            now,
        )

    async def update_settings(self, user_id: str, platform: str, settings: dict[str, Any]) -> None:
        await self._db.execute(
            "UPDATE users SET user_settings = ?, updated_at = ? WHERE id = ? AND platform = ?",
            dump_json(settings),
            now_ms(),
            user_id,
            platform,
        )

    async def delete(self, user_id: str) -> None:
        await self._db.execute("DELETE FROM users WHERE id = ?", user_id)

    async def raw_row(self, user_id: str) -> Row | None:
        """The stored row as is (ciphertext included); for tests and audits."""
        return await self._db.fetch_one("SELECT * FROM users WHERE id = ?", user_id)
