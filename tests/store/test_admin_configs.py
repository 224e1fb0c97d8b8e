"""composer/store/admin_configs.py on both backends: upsert keeps what it is not given."""

from __future__ import annotations

import asyncio

import pytest

from composer.store import Store
from composer.store import admin_configs as admin_configs_module

SETTINGS = {"autoLogCalls": {"value": True, "customizable": False}}
MAPPINGS = [{"crmUserId": "crm-1", "rcExtensionId": ["101", "102"]}]
ADAPTER = {"url": "https://adapter.example.invalid"}


async def test_missing_config_is_none(store: Store) -> None:
    assert await store.admin.get("h-acc") is None


async def test_first_upsert_fills_defaults(store: Store) -> None:
    await store.admin.upsert("h-acc", user_settings=SETTINGS)
    got = await store.admin.get("h-acc")
    assert got is not None
    assert (got.user_settings, got.user_mappings, got.custom_adapter) == (SETTINGS, [], None)


async def test_upsert_keeps_columns_it_is_not_given(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin_configs_module, "now_ms", lambda: 1_000)
    await store.admin.upsert("h-acc", user_settings=SETTINGS, custom_adapter=ADAPTER)
    monkeypatch.setattr(admin_configs_module, "now_ms", lambda: 2_000)
    await store.admin.upsert("h-acc", user_mappings=MAPPINGS)

    got = await store.admin.get("h-acc")
    assert got is not None
    assert (got.user_settings, got.user_mappings, got.custom_adapter) == (SETTINGS, MAPPINGS, ADAPTER)
    assert (got.created_at_ms, got.updated_at_ms) == (1_000, 2_000)

    await store.admin.upsert("h-acc", user_settings={})  # an empty value is a value, not "unchanged"
    got = await store.admin.get("h-acc")
    assert got is not None
    assert (got.user_settings, got.user_mappings, got.custom_adapter) == ({}, MAPPINGS, ADAPTER)


async def test_configs_are_per_account(store: Store) -> None:
    await store.admin.upsert("h-1", user_settings={"a": 1})
    await store.admin.upsert("h-2", user_settings={"b": 2})
    one, two = await store.admin.get("h-1"), await store.admin.get("h-2")
    assert one is not None and two is not None
    assert (one.user_settings, two.user_settings) == ({"a": 1}, {"b": 2})


async def test_concurrent_upserts_of_different_columns_keep_both(store: Store) -> None:
    for round_ in range(20):
        config_id = f"h-race-{round_}"
        await asyncio.gather(
            store.admin.upsert(config_id, user_settings=SETTINGS),
            store.admin.upsert(config_id, user_mappings=MAPPINGS),
            store.admin.upsert(config_id, custom_adapter=ADAPTER),
        )
        got = await store.admin.get(config_id)
        assert got is not None
        assert (got.user_settings, got.user_mappings, got.custom_adapter) == (SETTINGS, MAPPINGS, ADAPTER)
