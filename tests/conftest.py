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
from composer.store import Database, Store, apply_migrations
from composer.store.database import open_database
from tests._postgres import (
    PostgresUnavailable,
    create_database,
    database_name,
    drop_database,
    postgres_url,
    run_sync,
)

# =========================================================================== store backends
#
# store_backend      function  "sqlite" or "postgres": the one parametrised fixture behind the
#                              three below, so a test using any of them runs once per backend
#                              (STYLE rule 18). The postgres param carries the `postgres` marker:
#                              `-m "not postgres"` runs the SQLite half only. Narrow one test to
#                              PostgreSQL with `@postgres_only` from tests/_postgres.py.
# database_url       function  URL of a fresh, EMPTY database of that backend (no migrations).
# database           function  a fresh database of that backend, opened and migrated (a
#                              composer.store Database); closed and discarded afterwards.
# store              function  composer.store.Store over `database`, with a random data key.
#
# postgres_server    session   URL of a PostgreSQL server: DATABASE_URL_TEST, or a throwaway
#                              server started on first use (tests/_postgres.py); the test is
#                              skipped when neither is available.
# postgres_template  session   name of a database on that server migrated once per session;
#                              `database` copies it instead of migrating each time.

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


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[str]:
    async def create() -> str:
        url = await create_database(postgres_server)
        db = await open_database(url)
        try:
            await apply_migrations(db)
        finally:
            await db.close()  # a template must have no connection when it is copied
        return url

    url = run_sync(create())
    try:
        yield database_name(url)
    finally:
        run_sync(drop_database(postgres_server, url))


@pytest.fixture(params=BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


@pytest.fixture
async def database_url(
    store_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    if store_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    url = await create_database(server)
    try:
        yield url
    finally:
        await drop_database(server, url)


@pytest.fixture
async def database(
    store_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Database]:
    server = ""
    if store_backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = await create_database(server, template=request.getfixturevalue("postgres_template"))
    try:
        db = await open_database(url)
        try:
            await apply_migrations(db)  # a no-op on the migrated copy; it migrates SQLite
            yield db
        finally:
            await db.close()
    finally:
        if server:
            await drop_database(server, url)


@pytest.fixture
def store(database: Database) -> Store:
    # `database` closes the handle; the Store adds no resources of its own.
    return Store(database, SecretBox(os.urandom(32)))
