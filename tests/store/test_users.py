"""composer/store/users.py on both backends: round trip, platform scoping, secrets at rest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from composer.security.crypto import DecryptionError
from composer.store import Store, UserRecord

ACCESS = "access-token-PLAINTEXT-1234"
REFRESH = "refresh-token-PLAINTEXT-5678"


def _user(store: Store, user_id: str = "u-1", **fields: object) -> UserRecord:
    values: dict[str, object] = {
        "id": user_id,
        "platform": "pipedrive",
        "hostname": "acme.pipedrive.com",
        "timezoneName": "Europe/Paris",
        "timezoneOffset": "+01:00",
        "rcAccountId": "rc-acc-1",
        "hashedRcExtensionId": "hash-ext",
        "accessToken": ACCESS,
        "refreshToken": REFRESH,
        "tokenExpiry": datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        "platformAdditionalInfo": {"companyId": 42, "nested": {"a": [1, 2]}},
        "userSettings": {"autoLog": {"value": True}},
    }
    values.update(fields)
    return store.users.new(**values)


async def test_save_then_get_round_trips_every_field(store: Store) -> None:
    await _user(store).save()

    got = await store.users.get("u-1", "pipedrive")
    assert got is not None
    assert (got.id, got.platform, got.hostname) == ("u-1", "pipedrive", "acme.pipedrive.com")
    assert (got.timezoneName, got.timezoneOffset) == ("Europe/Paris", "+01:00")
    assert (got.rcAccountId, got.hashedRcExtensionId) == ("rc-acc-1", "hash-ext")
    assert (got.accessToken, got.refreshToken) == (ACCESS, REFRESH)
    assert got.tokenExpiry == datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert got.platformAdditionalInfo == {"companyId": 42, "nested": {"a": [1, 2]}}
    assert got.userSettings == {"autoLog": {"value": True}}
    assert got.setting("autoLog") is True
    assert got.has_credentials
    assert await store.users.get_by_id("u-1") is not None


async def test_empty_and_missing_values_round_trip(store: Store) -> None:
    await store.users.new(id="u-2", platform="clio").save()

    got = await store.users.get("u-2", "clio")
    assert got is not None
    assert (got.accessToken, got.refreshToken, got.tokenExpiry, got.rcAccountId) == ("", "", None, None)
    assert (got.platformAdditionalInfo, got.userSettings) == ({}, {})
    assert not got.has_credentials


async def test_naive_token_expiry_is_taken_as_utc(store: Store) -> None:
    await _user(store, tokenExpiry=datetime(2030, 1, 1, 12, 0)).save()
    got = await store.users.get("u-1", "pipedrive")
    assert got is not None
    assert got.tokenExpiry == datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


async def test_another_platform_counts_as_missing(store: Store) -> None:
    await _user(store).save()
    assert await store.users.get("u-1", "clio") is None
    assert await store.users.get("nobody", "pipedrive") is None


async def test_save_again_updates_in_place(store: Store) -> None:
    user = _user(store)
    await user.save()
    user.accessToken = "rotated"
    user.userSettings = {"k": {"value": 1}}
    await user.save()

    got = await store.users.get("u-1", "pipedrive")
    assert got is not None
    assert got.accessToken == "rotated"
    assert got.refreshToken == REFRESH
    assert got.userSettings == {"k": {"value": 1}}
    assert len(await store.db.fetch_all("SELECT id FROM users")) == 1


async def test_update_settings_and_delete(store: Store) -> None:
    await _user(store).save()
    await store.users.update_settings("u-1", "clio", {"ignored": True})  # other platform: no-op
    await store.users.update_settings("u-1", "pipedrive", {"x": {"value": "y"}})
    got = await store.users.get("u-1", "pipedrive")
    assert got is not None
    assert got.userSettings == {"x": {"value": "y"}}

    await got.destroy()
    assert await store.users.get_by_id("u-1") is None


async def test_tokens_are_encrypted_at_rest(store: Store) -> None:
    await _user(store).save()

    row = await store.users.raw_row("u-1")
    assert row is not None
    assert row["access_token"].startswith("v2:")
    assert row["refresh_token"].startswith("v2:")
    for value in row.values():
        assert ACCESS not in str(value)
        assert REFRESH not in str(value)


async def test_ciphertext_moved_to_another_row_fails_to_decrypt(store: Store) -> None:
    await _user(store, "u-1").save()
    await _user(store, "u-2", accessToken="second-user-token").save()
    row = await store.users.raw_row("u-1")
    assert row is not None
    await store.db.execute("UPDATE users SET access_token = ? WHERE id = ?", row["access_token"], "u-2")

    with pytest.raises(DecryptionError):
        await store.users.get("u-2", "pipedrive")
    # A ciphertext swapped between the columns of one row fails as well.
    await store.db.execute("UPDATE users SET refresh_token = ? WHERE id = ?", row["access_token"], "u-1")
    with pytest.raises(DecryptionError):
        await store.users.get("u-1", "pipedrive")


async def test_api_key_and_password_are_never_stored(store: Store) -> None:
    user = _user(
        store,
        platformAdditionalInfo={"apiKey": "secret-api-key", "password": "hunter2", "companyId": 7},
    )
    await user.save()

    assert user.platformAdditionalInfo == {"companyId": 7}
    row = await store.users.raw_row("u-1")
    assert row is not None
    assert "secret-api-key" not in str(row) and "hunter2" not in str(row)
    got = await store.users.get("u-1", "pipedrive")
    assert got is not None
    assert got.platformAdditionalInfo == {"companyId": 7}


async def test_repr_shows_no_secret(store: Store) -> None:
    text = repr(_user(store))
    assert ACCESS not in text and REFRESH not in text


async def test_unbound_record_refuses_to_save() -> None:
    with pytest.raises(RuntimeError):
        await UserRecord(id="u", platform="p").save()
