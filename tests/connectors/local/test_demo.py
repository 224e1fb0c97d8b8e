"""Demo seeding is idempotent and scoped to one owner."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from composer.store import Database, UserRecord
from connectors.local import LocalConnector, local_user_id
from connectors.local.demo import DEMO_CONTACTS, seed_demo, seed_demo_for_key


async def test_seed_twice_creates_once(db: Database, connector: LocalConnector, user: UserRecord) -> None:
    first = await seed_demo(db, user.id)
    second = await seed_demo(db, user.id)
    assert len(first) == len(DEMO_CONTACTS)
    assert all(c["created"] for c in first) and not any(c["created"] for c in second)
    assert [c["id"] for c in first] == [c["id"] for c in second]
    assert len(await connector.list_contacts(user.id)) == len(DEMO_CONTACTS)
    assert first[0]["phoneNumbers"] == ["+16505550100"]
    assert first[0]["ownerName"] == f"Local user {user.id[:4]}"
    # Seeded contacts are found like any other.
    result = await connector.findContact(user=user, phoneNumber="4155550124")
    assert result["matchedContactInfo"][0]["name"] == "Bob Stone"


async def test_seed_is_per_owner(
    db: Database, connector: LocalConnector, user: UserRecord, other_user: UserRecord
) -> None:
    mine = await seed_demo(db, user.id)
    theirs = await seed_demo(db, other_user.id)
    assert not {c["id"] for c in mine} & {c["id"] for c in theirs}
    assert len(await connector.list_contacts(other_user.id)) == len(DEMO_CONTACTS)


async def test_seed_for_key(db: Database, connector: LocalConnector) -> None:
    runtime = SimpleNamespace(
        store=SimpleNamespace(db=db), settings=SimpleNamespace(local_default_region="US")
    )
    seeded = await seed_demo_for_key(runtime, "demo")
    assert len(await connector.list_contacts(local_user_id("demo"))) == len(seeded)
    with pytest.raises(ValueError):
        await seed_demo_for_key(runtime, " ")
