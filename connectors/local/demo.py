"""Example contacts for the local CRM (``appconnect seed-demo``).

Idempotent: each demo contact has an id derived from the owner and its slot, and an
existing row is left untouched, so seeding twice creates nothing new. Numbers are from
the ranges reserved for fiction (NANP 555-01xx, Ofcom 020 7946 0xxx).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from connectors.local._identity import display_name, local_user_id
from connectors.local._store import LocalDatabase, LocalStore, deterministic_id, iso_from_ms

__all__ = ["DEMO_CONTACTS", "seed_demo", "seed_demo_for_key"]

DEMO_CONTACTS: tuple[dict[str, Any], ...] = (
    {
        "slot": "ann-lee",
        "name": "Ann Lee",
        "phones": ["+1 650-555-0100"],
        "type": "Contact",
        "company": "Acme Corp",
        "email": "ann.lee@example.com",
    },
    {
        "slot": "bob-stone",
        "name": "Bob Stone",
        "phones": ["(415) 555-0123", "+1 415 555 0124"],
        "type": "Lead",
        "company": "Stone & Sons",
        "email": "bob@example.org",
    },
    {
        "slot": "chen-wei",
        "name": "Chen Wei",
        "phones": ["+44 20 7946 0958"],
        "type": "Contact",
        "company": "Globex Ltd",
        "email": "",
    },
    {
        "slot": "dana-ruiz",
        "name": "Dana Ruiz",
        "phones": ["312-555-0147"],
        "type": "Lead",
        "company": "",
        "email": "dana.ruiz@example.net",
    },
)


async def seed_demo(
    db: LocalDatabase,
    owner_id: str,
    *,
    default_region: str = "US",
    clock: Callable[[], datetime] | None = None,
) -> list[dict[str, Any]]:
    """Create the demo contacts for ``owner_id`` unless present; returns all of them.

    Each item: ``{id, name, type, company, email, ownerName, phoneNumbers, createdDate, created}``
    where ``created`` says whether this call inserted it.
    """
    store = LocalStore(db, region=default_region, clock=clock or (lambda: datetime.now(UTC)))
    seeded: list[dict[str, Any]] = []
    for demo in DEMO_CONTACTS:
        contact, created = await store.create_contact(
            owner_id,
            contact_id=deterministic_id("demo", owner_id, demo["slot"]),
            name=demo["name"],
            phones=demo["phones"],
            type=demo["type"],
            company=demo["company"],
            email=demo["email"],
            owner_name=display_name(owner_id),
        )
        seeded.append(
            {
                "id": contact.id,
                "name": contact.name,
                "type": contact.type,
                "company": contact.company,
                "email": contact.email,
                "ownerName": contact.owner_name,
                "phoneNumbers": [p.display for p in contact.phones],
                "createdDate": iso_from_ms(contact.created_at),
                "created": created,
            }
        )
    return seeded


class _Settings(Protocol):
    @property
    def local_default_region(self) -> str: ...


class _Store(Protocol):
    @property
    def db(self) -> Any: ...


class _Runtime(Protocol):
    @property
    def settings(self) -> _Settings: ...
    @property
    def store(self) -> _Store: ...


async def seed_demo_for_key(runtime: _Runtime, api_key: str) -> list[dict[str, Any]]:
    """Seed the local user that ``api_key`` logs in as (raises ``ValueError`` for an empty key)."""
    if not api_key.strip():
        raise ValueError("an API key is required to seed the local CRM")
    return await seed_demo(
        runtime.store.db,
        local_user_id(api_key),
        default_region=runtime.settings.local_default_region,
    )
