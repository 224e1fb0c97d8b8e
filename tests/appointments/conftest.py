"""Appointment route fixtures: the app from create_app, a client and a logged-in local user."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.app import create_app
from composer.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key="appointments-secret-" + "x" * 40,
        data_key=base64.b64encode(b"a" * 32).decode(),
        plugins_dir=tmp_path / "no-plugins",
        log_level="WARNING",
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
async def headers(client: AsyncTestClient[Litestar]) -> dict[str, str]:
    response = await client.post("/apiKeyLogin", json={"platform": "local", "apiKey": "appointments-key"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['jwtToken']}"}


@pytest.fixture
async def contact_id(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    response = await client.post(
        "/contact", json={"phoneNumber": "+16505550100", "newContactName": "Ann Lee"}, headers=headers
    )
    assert response.json()["successful"] is True, response.text
    return str(response.json()["contact"]["id"])
