"""composer/store/contact_cache.py on both backends."""

from __future__ import annotations

import itertools

import pytest

from composer.store import Store
from composer.store import contact_cache as contact_cache_module

KEY = {"platform": "pipedrive", "user_id": "u-1", "phone_number": "+16505550100"}
PAT = [{"id": "c-1", "name": "Pat"}]
SAM = [{"id": "c-2", "name": "Sam"}]


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write one millisecond later than the last, so 'latest' is well defined."""
    ticks = itertools.count(1_700_000_000_000)
    monkeypatch.setattr(contact_cache_module, "now_ms", lambda: next(ticks))


async def test_put_get_round_trip_and_overwrite(store: Store) -> None:
    assert await store.contacts.get(**KEY, lookup_key="|false") is None
    await store.contacts.put(**KEY, lookup_key="|false", contacts=PAT)
    assert await store.contacts.get(**KEY, lookup_key="|false") == PAT

    await store.contacts.put(**KEY, lookup_key="|false", contacts=[])
    assert await store.contacts.get(**KEY, lookup_key="|false") == []


async def test_entries_are_scoped_by_every_key_part(store: Store) -> None:
    await store.contacts.put(**KEY, lookup_key="|false", contacts=PAT)
    assert await store.contacts.get(**KEY, lookup_key="(###) ###-####|false") is None
    assert await store.contacts.get(**{**KEY, "platform": "clio"}, lookup_key="|false") is None
    assert await store.contacts.get(**{**KEY, "user_id": "u-2"}, lookup_key="|false") is None
    assert await store.contacts.get(**{**KEY, "phone_number": "+1999"}, lookup_key="|false") is None


async def test_delete_one_lookup_or_all_lookups_of_a_number(store: Store) -> None:
    await store.contacts.put(**KEY, lookup_key="|false", contacts=PAT)
    await store.contacts.put(**KEY, lookup_key="|true", contacts=SAM)
    await store.contacts.put(**{**KEY, "user_id": "u-2"}, lookup_key="|false", contacts=PAT)

    await store.contacts.delete(**KEY, lookup_key="|false")
    assert await store.contacts.get(**KEY, lookup_key="|false") is None
    assert await store.contacts.get(**KEY, lookup_key="|true") == SAM

    await store.contacts.delete(**KEY)
    assert await store.contacts.get(**KEY, lookup_key="|true") is None
    assert await store.contacts.get(**{**KEY, "user_id": "u-2"}, lookup_key="|false") == PAT


async def test_latest_is_the_most_recent_write_of_any_lookup(store: Store) -> None:
    assert await store.contacts.latest(**KEY) is None
    await store.contacts.put(**KEY, lookup_key="|false", contacts=PAT)
    await store.contacts.put(**KEY, lookup_key="|true", contacts=SAM)
    assert await store.contacts.latest(**KEY) == SAM
    await store.contacts.put(**KEY, lookup_key="|false", contacts=PAT)
    assert await store.contacts.latest(**KEY) == PAT


async def test_purge_older_than(store: Store) -> None:
    await store.contacts.put(**KEY, lookup_key="old", contacts=PAT)  # at t0
    await store.contacts.put(**KEY, lookup_key="new", contacts=SAM)  # at t0 + 1
    assert await store.contacts.purge_older_than(1_700_000_000_001) == 1
    assert await store.contacts.get(**KEY, lookup_key="old") is None
    assert await store.contacts.get(**KEY, lookup_key="new") == SAM
