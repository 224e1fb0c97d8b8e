"""Notes cached by the client for server-side logging, scoped by (session, extension hash).

Notes are personal data: encrypted at rest, expire after an hour.
"""

from __future__ import annotations

from composer.security.crypto import DecryptionError, SecretBox
from composer.store._util import now_ms
from composer.store.database import Database

__all__ = ["NOTE_TTL_MS", "NoteCache"]

NOTE_TTL_MS = 3600 * 1000


class NoteCache:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    async def put(self, *, session_id: str, hashed_extension_id: str, note: str) -> None:
        context = f"noteCache.note:{session_id}:{hashed_extension_id}"
        await self._db.execute(
            """INSERT INTO note_cache (session_id, hashed_extension_id, note, expires_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (session_id, hashed_extension_id)
               DO UPDATE SET note = excluded.note, expires_at = excluded.expires_at""",
            session_id,
            hashed_extension_id,
            self._box.encrypt(note, context=context) or "",
            now_ms() + NOTE_TTL_MS,
        )

    async def get(self, *, session_id: str, hashed_extension_id: str) -> str | None:
        row = await self._db.fetch_one(
            "SELECT note, expires_at FROM note_cache WHERE session_id = ? AND hashed_extension_id = ?",
            session_id,
            hashed_extension_id,
        )
        if row is None or row["expires_at"] < now_ms():
            return None
        try:
            return self._box.decrypt(row["note"], context=f"noteCache.note:{session_id}:{hashed_extension_id}")
        except DecryptionError:
            return None

    async def purge_expired(self) -> int:
        return await self._db.execute_bulk("DELETE FROM note_cache WHERE expires_at < ?", now_ms())
