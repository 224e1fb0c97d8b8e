"""HTTP fixtures: the app built by create_app with test settings, and a logged-in local user."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.app import create_app
from composer.services.runtime import Runtime
from composer.settings import Settings

SECRET = "test-secret-" + "x" * 40


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=tmp_path / "data",
        secret_key=SECRET,
        data_key=base64.b64encode(b"k" * 32).decode(),
        plugins_dir=tmp_path / "no-plugins",
        log_level="WARNING",
    )
    return base.with_overrides(**overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def registry_hooks() -> tuple[Callable[[Runtime], None], ...]:
    return ()


@pytest.fixture
def app(settings: Settings, registry_hooks: tuple[Callable[[Runtime], None], ...]) -> Litestar:
    return create_app(settings, registry_hooks=registry_hooks)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
def runtime(app: Litestar, client: AsyncTestClient[Litestar]) -> Runtime:
    rt: Runtime = app.state.runtime
    return rt


async def login(client: AsyncTestClient[Litestar], api_key: str = "test-key", platform: str = "local") -> str:
    response = await client.post("/apiKeyLogin", json={"platform": platform, "apiKey": api_key})
    assert response.status_code == 200, response.text
    token: str = response.json()["jwtToken"]
    return token


@pytest.fixture
async def jwt(client: AsyncTestClient[Litestar]) -> str:
    return await login(client)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
