"""Fixtures shared by the whole test suite.

Keep this file sectioned: add new fixtures under the section they belong to, or open a new
section with the same kind of header. Helpers with real logic live in ``tests/_*.py`` modules
(for example ``tests/_postgres.py``), not here.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from composer.security.crypto import SecretBox
from composer.store import Database, Store, apply_migrations, open_database
from tests._postgres import PostgresUnavailable, create_database, drop_database, postgres_url

# =========================================================================== store backends
#
# postgres_server   session   URL of a PostgreSQL server: DATABASE_URL_TEST, or a throwaway
#                             server started on first use (see tests/_postgres.py); skips the
#                             test when neither is available.
# database_url      function  URL of a fresh, EMPTY database, once per backend
#                             (params "sqlite", "postgres"; the latter marked `postgres`).
# database          function  that database opened and migrated (a composer.store Database).
# store             function  composer.store.Store over `database`, with a random data key.
#
# A test that takes `database_url`, `database` or `store` runs on both backends (STYLE rule 18);
# `-m "not postgres"` runs the SQLite half only.

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    try:
        with postgres_url() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    server_url: str = request.getfixturevalue("postgres_server")
    url = await create_database(server_url)
    try:
        yield url
    finally:
        await drop_database(server_url, url)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = await open_database(database_url)
    try:
        await apply_migrations(db)
        yield db
    finally:
        await db.close()


@pytest.fixture
def store(database: Database) -> Store:
    # `database` closes the handle; the Store adds no resources of its own.
    return Store(database, SecretBox(os.urandom(32)))
