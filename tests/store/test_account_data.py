"""composer/store/account_data.py on both backends."""

from __future__ import annotations

import pytest

from composer.store import Store
from composer.store import account_data as account_data_module

KEY = {"scope_id": "rc-acc-1", "platform": "pipedrive", "key": "dealStages"}


async def test_put_get_round_trip_keeps_json_types(store: Store) -> None:
    assert await store.account_data.get(**KEY) is None
    value = {"stages": [{"id": 1, "name": "Lead", "won": False, "score": 0.5, "note": None}]}
    await store.account_data.put(**KEY, data=value)
    got = await store.account_data.get(**KEY)
    assert got is not None
    assert got.data == value
    assert got.updated_at_ms > 0


async def test_put_again_replaces_data_and_timestamp(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(account_data_module, "now_ms", lambda: 1_000)
    await store.account_data.put(**KEY, data=[1])
    monkeypatch.setattr(account_data_module, "now_ms", lambda: 2_000)
    await store.account_data.put(**KEY, data=[2])

    got = await store.account_data.get(**KEY)
    assert got is not None
    assert (got.data, got.updated_at_ms) == ([2], 2_000)
    assert len(await store.db.fetch_all("SELECT data_key FROM account_data")) == 1


async def test_entries_are_scoped_and_deleted_one_by_one(store: Store) -> None:
    await store.account_data.put(**KEY, data="a")
    await store.account_data.put(**{**KEY, "scope_id": "user:u-1"}, data="b")
    await store.account_data.put(**{**KEY, "platform": "clio"}, data="c")
    await store.account_data.put(**{**KEY, "key": "other"}, data="d")

    await store.account_data.delete(**KEY)
    assert await store.account_data.get(**KEY) is None
    remaining = await store.db.fetch_all("SELECT data FROM account_data ORDER BY data")
    assert [row["data"] for row in remaining] == ['"b"', '"c"', '"d"']


async def test_null_data_is_stored_as_json_null(store: Store) -> None:
    await store.account_data.put(**KEY, data=None)
    got = await store.account_data.get(**KEY)
    assert got is not None
    assert got.data is None
