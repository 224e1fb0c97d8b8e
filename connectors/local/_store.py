"""SQL access for the local CRM: contacts, phone numbers, activities and appointments.

Invariants: every statement filters on ``owner_id`` (one owner never sees another's rows);
ids are decimal strings of 15 digits (numeric like most CRMs' ids, below JavaScript's safe
integer range, and accepted by the appointment routes' digit-string contact references);
times are epoch milliseconds from the injected clock. SQL is portable between SQLite and
PostgreSQL; parameters are str for TEXT and int for BIGINT/INTEGER columns.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

import msgspec

from connectors.local._phone import PhoneKeys, phone_keys

__all__ = [
    "Activity",
    "Appointment",
    "Attendee",
    "Contact",
    "ContactPhone",
    "Executor",
    "LocalDatabase",
    "LocalStore",
    "deterministic_id",
    "iso_from_ms",
]

_ID_LOW = 10**14
_ID_SPAN = 9 * 10**14
_INSERT_ATTEMPTS = 3

_json_encoder = msgspec.json.Encoder()


class Executor(Protocol):
    async def execute(self, sql: str, *params: Any) -> int: ...
    async def fetch_one(self, sql: str, *params: Any) -> dict[str, Any] | None: ...
    async def fetch_all(self, sql: str, *params: Any) -> list[dict[str, Any]]: ...


class LocalDatabase(Executor, Protocol):
    """The part of ``composer.store.Database`` the local CRM uses (matched structurally)."""

    def transaction(self, *, lock_key: str | None = None) -> AbstractAsyncContextManager[Any]: ...


class ContactPhone(msgspec.Struct, frozen=True):
    raw: str
    e164: str
    digits: str

    @property
    def display(self) -> str:
        return self.e164 or self.raw


class Contact(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    owner_id: str
    name: str
    type: str
    company: str
    owner_name: str
    email: str
    created_at: int
    updated_at: int
    phones: tuple[ContactPhone, ...] = ()


class Activity(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    owner_id: str
    kind: str
    contact_id: str
    contact_name: str
    subject: str
    body: str
    format: str
    session_id: str
    dispositions: dict[str, Any]
    created_at: int
    updated_at: int


class Attendee(msgspec.Struct, frozen=True):
    id: str
    type: str = "Contact"


class Appointment(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    owner_id: str
    title: str
    summary: str
    start_at: int
    duration_minutes: int
    status: str
    attendees: tuple[Attendee, ...]
    created_at: int
    updated_at: int


def iso_from_ms(ms: int) -> str:
    """UTC ISO 8601 with milliseconds and ``Z`` (the shape CRMs and the client use)."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def deterministic_id(*parts: str) -> str:
    """A stable id in the same 15-digit space as random ids (for idempotent seeding)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return str(_ID_LOW + int.from_bytes(digest[:8], "big") % _ID_SPAN)


def _new_id() -> str:
    return str(_ID_LOW + secrets.randbelow(_ID_SPAN))


def _dump(value: Any) -> str:
    return _json_encoder.encode(value).decode()


def _load_dict(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _load_attendees(text: str | None) -> tuple[Attendee, ...]:
    if not text:
        return ()
    try:
        return tuple(msgspec.json.decode(text, type=list[Attendee]))
    except (msgspec.DecodeError, msgspec.ValidationError):
        return ()


def _activity(row: dict[str, Any]) -> Activity:
    return Activity(
        id=row["id"],
        owner_id=row["owner_id"],
        kind=row["kind"],
        contact_id=row["contact_id"],
        contact_name=row["contact_name"],
        subject=row["subject"],
        body=row["body"],
        format=row["format"],
        session_id=row["session_id"],
        dispositions=_load_dict(row["dispositions"]),
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
    )


def _appointment(row: dict[str, Any]) -> Appointment:
    return Appointment(
        id=row["id"],
        owner_id=row["owner_id"],
        title=row["title"],
        summary=row["summary"],
        start_at=int(row["start_at"]),
        duration_minutes=int(row["duration_minutes"]),
        status=row["status"],
        attendees=_load_attendees(row["attendees"]),
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
    )


class LocalStore:
    """Rows of one database; callers pass the owner on every call."""

    def __init__(self, db: LocalDatabase, *, region: str, clock: Callable[[], datetime]) -> None:
        self._db = db
        self.region = region
        self._clock = clock

    def now_ms(self) -> int:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return int(moment.timestamp() * 1000)

    def keys(self, number: object) -> PhoneKeys:
        return phone_keys(number, self.region)

    async def _insert_with_new_id(self, insert: Callable[[str], Awaitable[int]]) -> str:
        for _ in range(_INSERT_ATTEMPTS):
            new_id = _new_id()
            if await insert(new_id):
                return new_id
        raise RuntimeError("could not allocate a unique local CRM id")  # pragma: no cover

    # -- contacts -----------------------------------------------------------------------

    async def create_contact(
        self,
        owner_id: str,
        *,
        name: str,
        phones: Sequence[str],
        type: str = "Contact",
        company: str = "",
        owner_name: str = "",
        email: str = "",
        contact_id: str | None = None,
    ) -> tuple[Contact, bool]:
        """Insert a contact; with ``contact_id`` an existing row is kept (returns created=False)."""
        now = self.now_ms()
        sql = (
            "INSERT INTO local_contacts (id, owner_id, name, type, company, owner_name, email, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
        )
        created = False
        async with self._db.transaction(lock_key=f"local:contact:{owner_id}") as tx:

            async def insert(new_id: str) -> int:
                count: int = await tx.execute(
                    sql, new_id, owner_id, name, type, company, owner_name, email, now, now
                )
                return count

            if contact_id is None:
                contact_id = await self._insert_with_new_id(insert)
                created = True
            else:
                created = bool(await insert(contact_id))
            if created:
                position = 0
                seen: set[str] = set()
                for raw in phones:
                    text = str(raw).strip()
                    if not text or text in seen:
                        continue
                    seen.add(text)
                    keys = self.keys(text)
                    await tx.execute(
                        "INSERT INTO local_contact_phones (contact_id, position, owner_id, raw, e164, digits) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        contact_id,
                        position,
                        owner_id,
                        text,
                        keys.e164,
                        keys.digits,
                    )
                    position += 1
        contact = await self.get_contact(owner_id, contact_id)
        if contact is None:  # the id exists but belongs to another owner
            raise LookupError(f"contact id {contact_id} is taken")
        return contact, created

    async def _with_phones(self, rows: list[dict[str, Any]]) -> list[Contact]:
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        phone_rows = await self._db.fetch_all(
            f"SELECT contact_id, raw, e164, digits FROM local_contact_phones "
            f"WHERE contact_id IN ({marks}) ORDER BY contact_id, position",
            *ids,
        )
        phones: dict[str, list[ContactPhone]] = {}
        for p in phone_rows:
            phones.setdefault(p["contact_id"], []).append(ContactPhone(p["raw"], p["e164"], p["digits"]))
        return [
            Contact(
                id=row["id"],
                owner_id=row["owner_id"],
                name=row["name"],
                type=row["type"],
                company=row["company"],
                owner_name=row["owner_name"],
                email=row["email"],
                created_at=int(row["created_at"]),
                updated_at=int(row["updated_at"]),
                phones=tuple(phones.get(row["id"], ())),
            )
            for row in rows
        ]

    async def get_contact(self, owner_id: str, contact_id: str) -> Contact | None:
        rows = await self._db.fetch_all(
            "SELECT * FROM local_contacts WHERE owner_id = ? AND id = ?", owner_id, contact_id
        )
        found = await self._with_phones(rows)
        return found[0] if found else None

    async def list_contacts(self, owner_id: str) -> list[Contact]:
        rows = await self._db.fetch_all(
            "SELECT * FROM local_contacts WHERE owner_id = ? ORDER BY created_at, id", owner_id
        )
        return await self._with_phones(rows)

    async def find_by_phone(self, owner_id: str, keys: PhoneKeys) -> list[tuple[Contact, ContactPhone]]:
        """Contacts with a number matching ``keys``, oldest first, each with the matching number.

        E.164 forms are compared when the query has one; digits are compared when either
        side could not be normalised.
        """
        if keys.is_empty:
            return []
        if keys.e164:
            rows = await self._db.fetch_all(
                "SELECT contact_id, raw, e164, digits FROM local_contact_phones WHERE owner_id = ? "
                "AND (e164 = ? OR (e164 = '' AND digits = ?)) ORDER BY contact_id, position",
                owner_id,
                keys.e164,
                keys.digits,
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT contact_id, raw, e164, digits FROM local_contact_phones WHERE owner_id = ? "
                "AND digits = ? ORDER BY contact_id, position",
                owner_id,
                keys.digits,
            )
        matched: dict[str, ContactPhone] = {}
        for row in rows:
            matched.setdefault(row["contact_id"], ContactPhone(row["raw"], row["e164"], row["digits"]))
        if not matched:
            return []
        marks = ", ".join("?" for _ in matched)
        contact_rows = await self._db.fetch_all(
            f"SELECT * FROM local_contacts WHERE owner_id = ? AND id IN ({marks}) ORDER BY created_at, id",
            owner_id,
            *matched,
        )
        return [(c, matched[c.id]) for c in await self._with_phones(contact_rows)]

    async def find_by_name(self, owner_id: str, name: str) -> list[Contact]:
        """Case-insensitive substring match; filtered in Python so non-ASCII names fold too."""
        needle = name.strip().casefold()
        if not needle:
            return []
        rows = await self._db.fetch_all(
            "SELECT * FROM local_contacts WHERE owner_id = ? ORDER BY created_at, id", owner_id
        )
        return await self._with_phones([r for r in rows if needle in str(r["name"]).casefold()])

    async def last_activity_ms(self, owner_id: str, contact_ids: Sequence[str]) -> dict[str, int]:
        if not contact_ids:
            return {}
        marks = ", ".join("?" for _ in contact_ids)
        rows = await self._db.fetch_all(
            f"SELECT contact_id, MAX(updated_at) AS last FROM local_activities "
            f"WHERE owner_id = ? AND contact_id IN ({marks}) GROUP BY contact_id",
            owner_id,
            *contact_ids,
        )
        return {row["contact_id"]: int(row["last"]) for row in rows if row["last"] is not None}

    # -- activities ---------------------------------------------------------------------

    async def create_activity(
        self,
        owner_id: str,
        *,
        kind: str,
        contact_id: str,
        contact_name: str,
        subject: str,
        body: str,
        format: str,
        session_id: str = "",
        dispositions: dict[str, Any] | None = None,
    ) -> Activity:
        now = self.now_ms()

        async def insert(new_id: str) -> int:
            return await self._db.execute(
                "INSERT INTO local_activities (id, owner_id, kind, contact_id, contact_name, subject, body, "
                "format, session_id, dispositions, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                new_id,
                owner_id,
                kind,
                contact_id,
                contact_name,
                subject,
                body,
                format,
                session_id,
                _dump(dispositions or {}),
                now,
                now,
            )

        activity_id = await self._insert_with_new_id(insert)
        activity = await self.get_activity(owner_id, activity_id)
        assert activity is not None
        return activity

    async def get_activity(self, owner_id: str, activity_id: str) -> Activity | None:
        row = await self._db.fetch_one(
            "SELECT * FROM local_activities WHERE owner_id = ? AND id = ?", owner_id, activity_id
        )
        return _activity(row) if row is not None else None

    async def list_activities(self, owner_id: str, contact_id: str | None = None) -> list[Activity]:
        if contact_id is None:
            rows = await self._db.fetch_all(
                "SELECT * FROM local_activities WHERE owner_id = ? ORDER BY created_at DESC, id", owner_id
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT * FROM local_activities WHERE owner_id = ? AND contact_id = ? "
                "ORDER BY created_at DESC, id",
                owner_id,
                contact_id,
            )
        return [_activity(row) for row in rows]

    async def update_activity(
        self,
        owner_id: str,
        activity_id: str,
        *,
        body: str | None = None,
        subject: str | None = None,
        format: str | None = None,
        dispositions: dict[str, Any] | None = None,
    ) -> Activity | None:
        """Set the given fields; ``None`` leaves a field as it is. None when not found."""
        sets: list[str] = []
        params: list[Any] = []
        for column, value in (("body", body), ("subject", subject), ("format", format)):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if dispositions is not None:
            sets.append("dispositions = ?")
            params.append(_dump(dispositions))
        sets.append("updated_at = ?")
        params.append(self.now_ms())
        count = await self._db.execute(
            f"UPDATE local_activities SET {', '.join(sets)} WHERE owner_id = ? AND id = ?",
            *params,
            owner_id,
            activity_id,
        )
        if not count:
            return None
        return await self.get_activity(owner_id, activity_id)

    async def rewrite_activity(
        self,
        owner_id: str,
        activity_id: str,
        change: Callable[[Activity], tuple[str, str]],
    ) -> Activity | None:
        """Read-modify-write of (subject, body) under a per-activity lock, so concurrent
        appends to one conversation cannot lose each other's messages."""
        async with self._db.transaction(lock_key=f"local:activity:{activity_id}") as tx:
            row = await tx.fetch_one(
                "SELECT * FROM local_activities WHERE owner_id = ? AND id = ?", owner_id, activity_id
            )
            if row is None:
                return None
            subject, body = change(_activity(row))
            await tx.execute(
                "UPDATE local_activities SET subject = ?, body = ?, updated_at = ? WHERE owner_id = ? AND id = ?",
                subject,
                body,
                self.now_ms(),
                owner_id,
                activity_id,
            )
        return await self.get_activity(owner_id, activity_id)

    # -- appointments -------------------------------------------------------------------

    async def create_appointment(
        self,
        owner_id: str,
        *,
        title: str,
        summary: str,
        start_at: int,
        duration_minutes: int,
        attendees: Sequence[Attendee],
        status: str = "scheduled",
    ) -> Appointment:
        now = self.now_ms()

        async def insert(new_id: str) -> int:
            return await self._db.execute(
                "INSERT INTO local_appointments (id, owner_id, title, summary, start_at, duration_minutes, "
                "status, attendees, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                new_id,
                owner_id,
                title,
                summary,
                start_at,
                duration_minutes,
                status,
                _dump(list(attendees)),
                now,
                now,
            )

        appointment_id = await self._insert_with_new_id(insert)
        appointment = await self.get_appointment(owner_id, appointment_id)
        assert appointment is not None
        return appointment

    async def get_appointment(self, owner_id: str, appointment_id: str) -> Appointment | None:
        row = await self._db.fetch_one(
            "SELECT * FROM local_appointments WHERE owner_id = ? AND id = ?", owner_id, appointment_id
        )
        return _appointment(row) if row is not None else None

    async def list_appointments(
        self, owner_id: str, *, start_from: int | None = None, start_to: int | None = None
    ) -> list[Appointment]:
        sql = "SELECT * FROM local_appointments WHERE owner_id = ?"
        params: list[Any] = [owner_id]
        if start_from is not None:
            sql += " AND start_at >= ?"
            params.append(start_from)
        if start_to is not None:
            sql += " AND start_at <= ?"
            params.append(start_to)
        rows = await self._db.fetch_all(sql + " ORDER BY start_at, id", *params)
        return [_appointment(row) for row in rows]

    async def update_appointment(
        self, owner_id: str, appointment_id: str, **changes: Any
    ) -> Appointment | None:
        """Set columns named in ``changes`` (title, summary, start_at, duration_minutes, status, attendees)."""
        allowed = ("title", "summary", "start_at", "duration_minutes", "status", "attendees")
        sets: list[str] = []
        params: list[Any] = []
        for column in allowed:
            if column in changes:
                value = changes[column]
                sets.append(f"{column} = ?")
                params.append(_dump(list(value)) if column == "attendees" else value)
        sets.append("updated_at = ?")
        params.append(self.now_ms())
        count = await self._db.execute(
            f"UPDATE local_appointments SET {', '.join(sets)} WHERE owner_id = ? AND id = ?",
            *params,
            owner_id,
            appointment_id,
        )
        if not count:
            return None
        return await self.get_appointment(owner_id, appointment_id)
