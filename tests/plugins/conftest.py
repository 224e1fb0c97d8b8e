"""HTTP fixtures of the plugin tests: the app with a plugins directory, a logged-in local user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.app import create_app
from composer.services.runtime import Runtime
from composer.settings import Settings
from tests.pipeline._helpers import settings_for, write_plugin

CONTACT_PHONE = "+16505550100"


class App:
    """A running app and what the tests do with it."""

    def __init__(self, client: AsyncTestClient[Litestar]) -> None:
        self.client = client

    @property
    def rt(self) -> Runtime:
        runtime: Runtime = self.client.app.state.runtime
        return runtime

    async def login(self, api_key: str = "plugin-key", rc_token: str | None = None) -> dict[str, str]:
        headers = {"X-RC-Access-Token": rc_token} if rc_token else {}
        response = await self.client.post("/apiKeyLogin", json={"platform": "local", "apiKey": api_key}, headers=headers)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['jwtToken']}"}

    async def contact(self, headers: dict[str, str], *, company: str = "", name: str = "Pat Doe") -> str:
        body: dict[str, Any] = {"phoneNumber": CONTACT_PHONE, "newContactName": name}
        if company:
            body["additionalSubmission"] = {"company": company}
        response = await self.client.post("/contact", json=body, headers=headers)
        assert response.json()["successful"], response.text
        contact_id: str = response.json()["contact"]["id"]
        return contact_id

    async def activities(self, headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await self.client.get("/local/activities", headers=headers)
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["activities"]
        return found


def call_body(contact_id: str, session_id: str = "s-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "logInfo": {
            "id": f"rec-{session_id}",
            "sessionId": session_id,
            "telephonySessionId": f"tel-{session_id}",
            "direction": "Inbound",
            "from": {"phoneNumber": CONTACT_PHONE, "name": "Pat Doe"},
            "to": {"phoneNumber": "+14155550199", "extensionNumber": "101"},
            "startTime": "2024-01-15T10:30:00.000Z",
            "duration": 65,
            "result": "Accepted",
        },
        "contactId": contact_id,
        "contactType": "Contact",
        "contactName": "Pat Doe",
        "note": "Discussed renewal",
    }
    body.update(overrides)
    return body


@pytest.fixture
def plugins_dir(tmp_path: Path) -> Path:
    path = tmp_path / "plugins"
    path.mkdir()
    return path


@pytest.fixture
def plugin_files(request: pytest.FixtureRequest) -> dict[str, str]:
    """Plugin files written before the app starts; parametrise indirectly: {file name: source}."""
    files: dict[str, str] = getattr(request, "param", {})
    return files


@pytest.fixture
def app_settings(tmp_path: Path, plugins_dir: Path) -> Settings:
    return settings_for(tmp_path, plugins_dir=plugins_dir)


@pytest.fixture
def hooks() -> tuple[Callable[[Runtime], None], ...]:
    return ()


@pytest.fixture
async def app(
    app_settings: Settings,
    hooks: tuple[Callable[[Runtime], None], ...],
    plugins_dir: Path,
    plugin_files: dict[str, str],
) -> AsyncIterator[App]:
    for name, source in plugin_files.items():
        write_plugin(plugins_dir, name, source)
    async with AsyncTestClient(app=create_app(app_settings, registry_hooks=hooks), timeout=60) as client:
        yield App(client)
