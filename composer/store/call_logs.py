"""The ``call_logs`` linkage table: one row per (platform, session, extension identity).

A row maps a RingCentral call to the CRM activity written for it. It is created as a
``pending`` *reservation* before the CRM is called (so two concurrent creates cannot both
reach the CRM) and becomes ``logged`` once the CRM id is known.

Invariants:

* ``reserve`` runs the identity lookup and the insert in one transaction under a per-session
  lock (``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on PostgreSQL);
  the unique key is the backstop and a conflict reads as "already there", never an error.
* ``finalize`` and ``release`` are guarded by the reservation token: a request only ever
  changes the row it reserved.
* A ``pending`` row whose ``reserved_until`` has passed belongs to a request that died; the
  next ``reserve`` takes it over.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from composer.store._util import now_ms
from composer.store.database import Database, Executor, Row
from composer.store.exceptions import StoreError
from composer.store.reservations import ReservedRow

__all__ = ["RESERVATION_HOLD_MS", "CallLogRow", "CallLogStore", "Reservation", "prefer_row"]

RESERVATION_HOLD_MS = 120_000  # longer than the CRM timeout
_STALE_AFTER_MS = 24 * 3600 * 1000

_COLUMNS = (
    "row_id, platform, session_id, extension_number, hashed_extension_id, id, user_id, contact_id, "
    "third_party_log_id, state, reservation_token, reserved_until, created_at"
)


def _new_ids() -> tuple[str, str]:
    """A reservation token and a row id from one read of the OS random source."""
    raw = secrets.token_hex(32)
    return raw[:32], raw[32:]


class CallLogRow(ReservedRow, frozen=True, kw_only=True):
    row_id: str
    platform: str
    session_id: str
    extension_number: str
    hashed_extension_id: str
    id: str
    user_id: str
    contact_id: str
    created_at: int

    def view(self) -> dict[str, Any]:
        """The ``existingCallLog`` object handed to connectors (connectors.md §3)."""
        return {
            "id": self.id,
            "sessionId": self.session_id,
            "extensionNumber": self.extension_number,
            "hashedExtensionId": self.hashed_extension_id,
            "platform": self.platform,
            "thirdPartyLogId": self.third_party_log_id or "",
            "userId": self.user_id,
            "contactId": self.contact_id,
        }


class Reservation(msgspec.Struct, frozen=True, kw_only=True):
    """A pending row this request owns; pass it back to ``finalize`` or ``release``."""

    row_id: str
    token: str
    platform: str
    session_id: str


def _row(data: Row) -> CallLogRow:
    return CallLogRow(**data)


def _matches(row: CallLogRow, extension_number: str, hashed_extension_id: str) -> bool:
    """The identity rule of http-api.md §10.2."""
    if hashed_extension_id:
        if row.hashed_extension_id == hashed_extension_id:
            return True
        if row.hashed_extension_id == "":
            return row.extension_number == "" or (
                bool(extension_number) and row.extension_number == extension_number
            )
        return False
    if extension_number:
        return row.extension_number == extension_number
    return True


def _rank(row: CallLogRow, extension_number: str, hashed_extension_id: str) -> int:
    if hashed_extension_id:
        if row.hashed_extension_id == hashed_extension_id:
            return 0
        return 1 if row.extension_number else 2
    return 0


def _identity_condition(extension_number: str, hashed_extension_id: str) -> tuple[str, tuple[str, ...]]:
    """``_matches`` as SQL over ``call_logs`` columns."""
    if hashed_extension_id:
        return (
            "(hashed_extension_id = ? OR (hashed_extension_id = '' AND (extension_number = ''"
            " OR (? <> '' AND extension_number = ?))))",
            (hashed_extension_id, extension_number, extension_number),
        )
    if extension_number:
        return "extension_number = ?", (extension_number,)
    return "1 = 1", ()


def prefer_row(
    rows: Iterable[CallLogRow], *, extension_number: str, hashed_extension_id: str
) -> CallLogRow | None:
    """The preferred matching row: exact hash, then legacy same extension, then fully empty."""
    best: CallLogRow | None = None
    best_key: tuple[int, int, str] | None = None
    for row in rows:
        if not _matches(row, extension_number, hashed_extension_id):
            continue
        key = (_rank(row, extension_number, hashed_extension_id), row.created_at, row.row_id)
        if best_key is None or key < best_key:
            best, best_key = row, key
    return best


class CallLogStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---------------------------------------------------------------- lookups

    async def _session_rows(self, ex: Executor, platform: str, session_id: str) -> list[CallLogRow]:
        rows = await ex.fetch_all(
            f"SELECT {_COLUMNS} FROM call_logs WHERE platform = ? AND session_id = ?", platform, session_id
        )
        return [_row(r) for r in rows]

    async def find(
        self, *, platform: str, session_id: str, extension_number: str, hashed_extension_id: str
    ) -> CallLogRow | None:
        """The preferred row (logged or pending) for one session and extension identity."""
        rows = await self._session_rows(self._db, platform, session_id)
        return prefer_row(rows, extension_number=extension_number, hashed_extension_id=hashed_extension_id)

    async def find_logged(
        self,
        *,
        platform: str,
        session_ids: Sequence[str],
        extension_number: str,
        hashed_extension_id: str,
    ) -> dict[str, CallLogRow]:
        """One lookup over several sessions; pending rows count as unmatched."""
        wanted = list(dict.fromkeys(s for s in session_ids if s))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM call_logs WHERE platform = ? AND state = 'logged' AND session_id IN ({marks})",
            platform,
            *wanted,
        )
        by_session: dict[str, list[CallLogRow]] = {}
        for data in rows:
            row = _row(data)
            by_session.setdefault(row.session_id, []).append(row)
        found: dict[str, CallLogRow] = {}
        for session_id, candidates in by_session.items():
            best = prefer_row(candidates, extension_number=extension_number, hashed_extension_id=hashed_extension_id)
            if best is not None:
                found[session_id] = best
        return found

    # ---------------------------------------------------------------- reservation

    async def reserve(
        self,
        *,
        platform: str,
        session_id: str,
        extension_number: str,
        hashed_extension_id: str,
        hold_ms: int = RESERVATION_HOLD_MS,
    ) -> Reservation | CallLogRow:
        """Reserve the session for this identity, or return the live row that already holds it."""
        if self._db.dialect == "sqlite":
            fast = await self._reserve_fast(platform, session_id, extension_number, hashed_extension_id, hold_ms)
            if fast is not None:
                return fast
        for _ in range(3):
            outcome = await self._reserve_once(platform, session_id, extension_number, hashed_extension_id, hold_ms)
            if outcome is not None:
                return outcome
        raise StoreError("call-log reservation kept conflicting")

    async def _reserve_fast(
        self, platform: str, session_id: str, extension_number: str, hashed_extension_id: str, hold_ms: int
    ) -> Reservation | CallLogRow | None:
        """SQLite: lookup and insert as ONE statement (atomic: SQLite runs one writer at a time).

        Inserts only when no row of this identity exists at all; an existing live row is the
        duplicate answer; anything else (an expired reservation to take over) is left to the
        locked transaction. PostgreSQL always takes the transaction: under READ COMMITTED two
        such statements for different but colliding identities could both insert.
        """
        identity_sql, identity_params = _identity_condition(extension_number, hashed_extension_id)
        token, row_id = _new_ids()
        now = now_ms()
        inserted = await self._db.execute(
            f"""INSERT INTO call_logs (row_id, platform, session_id, extension_number, hashed_extension_id,
                   state, reservation_token, reserved_until, created_at, updated_at)
                SELECT ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM call_logs WHERE platform = ? AND session_id = ? AND {identity_sql})
                ON CONFLICT (platform, session_id, extension_number, hashed_extension_id) DO NOTHING""",
            row_id,
            platform,
            session_id,
            extension_number,
            hashed_extension_id,
            token,
            now + hold_ms,
            now,
            now,
            platform,
            session_id,
            *identity_params,
        )
        if inserted == 1:
            return Reservation(row_id=row_id, token=token, platform=platform, session_id=session_id)
        rows = await self._session_rows(self._db, platform, session_id)
        live = [r for r in rows if _matches(r, extension_number, hashed_extension_id) and r.is_live(now_ms())]
        return prefer_row(live, extension_number=extension_number, hashed_extension_id=hashed_extension_id)

    async def _reserve_once(
        self, platform: str, session_id: str, extension_number: str, hashed_extension_id: str, hold_ms: int
    ) -> Reservation | CallLogRow | None:
        token, row_id = _new_ids()
        async with self._db.transaction(lock_key=f"call:{platform}:{session_id}") as tx:
            now = now_ms()
            rows = await self._session_rows(tx, platform, session_id)
            matching = [r for r in rows if _matches(r, extension_number, hashed_extension_id)]
            live = [r for r in matching if r.is_live(now)]
            if live:
                return prefer_row(live, extension_number=extension_number, hashed_extension_id=hashed_extension_id)
            for expired in matching:  # the owners of these reservations died: take over
                await tx.execute(
                    "DELETE FROM call_logs WHERE row_id = ? AND state = 'pending' AND reserved_until <= ?",
                    expired.row_id,
                    now,
                )
            inserted = await tx.execute(
                """INSERT INTO call_logs (row_id, platform, session_id, extension_number, hashed_extension_id,
                       state, reservation_token, reserved_until, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
                   ON CONFLICT (platform, session_id, extension_number, hashed_extension_id) DO NOTHING""",
                row_id,
                platform,
                session_id,
                extension_number,
                hashed_extension_id,
                token,
                now + hold_ms,
                now,
                now,
            )
            if inserted == 1:
                return Reservation(row_id=row_id, token=token, platform=platform, session_id=session_id)
            # The unique key caught a racer the lock did not: that row is the answer.
            existing = await tx.fetch_one(
                f"""SELECT {_COLUMNS} FROM call_logs WHERE platform = ? AND session_id = ?
                    AND extension_number = ? AND hashed_extension_id = ?""",
                platform,
                session_id,
                extension_number,
                hashed_extension_id,
            )
            return _row(existing) if existing is not None else None

    async def finalize(
        self,
        reservation: Reservation,
        *,
        third_party_log_id: str,
        user_id: str,
        contact_id: str,
        telephony_id: str,
    ) -> bool:
        """Turn the reservation into a logged row; False if it is no longer ours."""
        changed = await self._db.execute(
            """UPDATE call_logs SET third_party_log_id = ?, user_id = ?, contact_id = ?, id = ?, state = 'logged',
                   reservation_token = NULL, reserved_until = NULL, updated_at = ?
               WHERE row_id = ? AND reservation_token = ? AND state = 'pending'""",
            third_party_log_id,
            user_id,
            contact_id,
            telephony_id,
            now_ms(),
            reservation.row_id,
            reservation.token,
        )
        return changed == 1

    async def release(self, reservation: Reservation) -> bool:
        """Delete the reservation (only if still ours and still pending)."""
        deleted = await self._db.execute(
            "DELETE FROM call_logs WHERE row_id = ? AND reservation_token = ? AND state = 'pending'",
            reservation.row_id,
            reservation.token,
        )
        return deleted == 1

    async def purge_stale(self, *, older_than_ms: int = _STALE_AFTER_MS) -> int:
        """Delete pending reservations that expired more than ``older_than_ms`` ago."""
        return await self._db.execute_bulk(
            "DELETE FROM call_logs WHERE state = 'pending' AND reserved_until < ?", now_ms() - older_than_ms
        )
