"""Fixtures of the logging tests: the app with the fake CRM registered, logged-in users, payloads.

The app is built by ``create_app`` and driven in-process, but through ``httpx.ASGITransport``
on the test's own event loop rather than Litestar's ``AsyncTestClient``: the latter runs the
app in a portal thread and blocks the caller's loop for each request, so ``asyncio.gather``
over it would send "concurrent" requests one after the other and the concurrency tests would
prove nothing.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from composer.app import create_app
from composer.services.runtime import Runtime
from composer.settings import Settings
from tests.fakes import FAKE_PLATFORM, FakeCrm, FakeCrmConnector, register_fake_crm

CONTACT_PHONE = "+16505550100"
AGENT_PHONE = "+14155550199"


def logging_settings(tmp_path: Path, **overrides: Any) -> Settings:
    settings = Settings(
        data_dir=tmp_path / "data",
        secret_key="t" * 40,
        data_key=base64.b64encode(b"d" * 32).decode(),
        plugins_dir=tmp_path / "noplugins",
        log_level="WARNING",
    )
    return settings.with_overrides(**overrides)


class Env:
    """One running app: the client, its runtime, the fake CRM and its connector."""

    def __init__(self, app: Litestar, client: httpx.AsyncClient, crm: FakeCrm, connector: FakeCrmConnector) -> None:
        self.app = app
        self.client = client
        self.crm = crm
        self.connector = connector

    @property
    def rt(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def login(self, platform: str = FAKE_PLATFORM, api_key: str = "key-1") -> dict[str, str]:
        response = await self.client.post("/apiKeyLogin", json={"platform": platform, "apiKey": api_key})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['jwtToken']}"}

    async def local_contact(self, headers: dict[str, str], name: str = "Pat Doe", phone: str = CONTACT_PHONE) -> str:
        response = await self.client.post("/contact", json={"phoneNumber": phone, "newContactName": name}, headers=headers)
        assert response.json()["successful"], response.text
        contact_id: str = response.json()["contact"]["id"]
        return contact_id

    async def call_log_rows(self) -> list[dict[str, Any]]:
        return await self.rt.store.db.fetch_all("SELECT session_id, state, third_party_log_id FROM call_logs")


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[None]:
    """The app's lifespan, entered and left in one task of its own (its task groups require it)."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # start-up failed: raise its error
    try:
        yield
    finally:
        stop.set()
        await task


@pytest.fixture
def crm() -> FakeCrm:
    return FakeCrm()


@pytest.fixture
def log_format() -> str:
    return "text/plain"


@pytest.fixture
def plugin_files() -> dict[str, str]:
    """Plugin modules (file name -> source) the app discovers; none by default."""
    return {}


@pytest.fixture
async def env(tmp_path: Path, crm: FakeCrm, log_format: str, plugin_files: dict[str, str]) -> AsyncIterator[Env]:
    box: list[FakeCrmConnector] = []
    plugins_dir = tmp_path / "plugins"
    plugins_dir.mkdir()
    for name, source in plugin_files.items():
        (plugins_dir / name).write_text(source)
    app = create_app(
        logging_settings(tmp_path, plugins_dir=plugins_dir),
        transport=crm.transport(),
        registry_hooks=(register_fake_crm(box, log_format=log_format),),
    )
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
            yield Env(app, client, crm, box[0])


@pytest.fixture
async def fake_headers(env: Env) -> dict[str, str]:
    return await env.login()


@pytest.fixture
async def local_headers(env: Env) -> dict[str, str]:
    return await env.login("local", "local-key")


def call_body(session_id: str = "s-1", **overrides: Any) -> dict[str, Any]:
    """A POST /callLog body as the browser client sends it."""
    body: dict[str, Any] = {
        "logInfo": {
            "id": f"rec-{session_id}",
            "sessionId": session_id,
            "telephonySessionId": f"tel-{session_id}",
            "direction": "Inbound",
            "from": {"phoneNumber": CONTACT_PHONE, "name": "Pat Doe"},
            "to": {"phoneNumber": AGENT_PHONE, "extensionNumber": "101"},
            "startTime": "2024-01-15T10:30:00.000Z",
            "duration": 65,
            "result": "Accepted",
        },
        "contactId": "c-42",
        "contactType": "Contact",
        "contactName": "Pat Doe",
        "note": "Discussed renewal",
        "hashedExtensionId": "hash-101",
    }
    body.update(overrides)
    return body


def sms(message_id: int, text: str, created: str, *, direction: str = "Inbound", **extra: Any) -> dict[str, Any]:
    inbound = direction == "Inbound"
    return {
        "id": message_id,
        "type": "SMS",
        "direction": direction,
        "subject": text,
        "from": {"phoneNumber": CONTACT_PHONE if inbound else AGENT_PHONE, "name": "Pat Doe" if inbound else "Agent"},
        "to": [{"phoneNumber": AGENT_PHONE if inbound else CONTACT_PHONE}],
        "creationTime": created,
        "lastModifiedTime": created,
        **extra,
    }


def message_body(messages: list[dict[str, Any]], *, day: str = "2024-01-15", **overrides: Any) -> dict[str, Any]:
    """A POST /messageLog body; ``messages`` newest first, as the client sends them."""
    body: dict[str, Any] = {
        "logInfo": {
            "conversationId": "conv-1",
            "conversationLogId": f"conv-1-{day}",
            "correspondents": [{"phoneNumber": CONTACT_PHONE, "name": "Pat Doe"}],
            "messages": messages,
        },
        "contactId": "c-42",
        "contactType": "Contact",
        "contactName": "Pat Doe",
    }
    body.update(overrides)
    return body
