"""Fixtures for the local CRM tests: a migrated SQLite database, a controllable clock,
users bound to a real user store, and the connector under test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

import composer.compose
from composer.security.crypto import SecretBox
from composer.store import Database, UserRecord, UserStore, apply_migrations, open_database
from connectors.local import LocalConnector, local_user_id

from ._clock import FakeClock


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database("sqlite:///" + str(tmp_path / "t.db"))
    try:
        await apply_migrations(database)
        yield database
    finally:
        await database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def connector(db: Database, clock: FakeClock) -> LocalConnector:
    return LocalConnector(db, bodies=composer.compose, default_region="US", clock=clock)


@pytest.fixture
def users(db: Database) -> UserStore:
    return UserStore(db, SecretBox(os.urandom(32)))


@pytest.fixture
def make_user(users: UserStore) -> Callable[..., UserRecord]:
    """``make_user(api_key="dev-key", **settings)``: a local user bound to the user store."""

    def make(api_key: str = "dev-key", **settings: Any) -> UserRecord:
        return users.new(
            id=local_user_id(api_key),
            platform="local",
            accessToken=api_key,
            userSettings={key: {"value": value} for key, value in settings.items()},
        )

    return make


@pytest.fixture
def user(make_user: Callable[..., UserRecord]) -> UserRecord:
    return make_user()


@pytest.fixture
def other_user(make_user: Callable[..., UserRecord]) -> UserRecord:
    return make_user("someone-else")
