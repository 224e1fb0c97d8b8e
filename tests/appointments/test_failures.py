"""Connector failures become the §6.3 returnMessage for the operation, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.app import create_app
from composer.services.runtime import Runtime
from composer.settings import Settings

Client = AsyncTestClient[Litestar]


class FlakyCrm:
    """Logs in with any key; every appointment interface misbehaves in its own way."""

    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: str = "", **kwargs: Any) -> str:
        return apiKey

    def getUserInfo(self, **kwargs: Any) -> dict[str, Any]:
        return {"successful": True, "platformUserInfo": {"id": "u1-flaky", "name": "Flaky"}}

    def createCallLog(self, **kwargs: Any) -> dict[str, Any]:
        return {}

    def updateCallLog(self, **kwargs: Any) -> dict[str, Any]:
        return {}

    def listAppointments(self, **kwargs: Any) -> dict[str, Any]:
        return {"appointments": [{"title": "no id"}]}

    def createAppointment(self, **kwargs: Any) -> Any:
        request = httpx.Request("POST", "https://crm.example/appointments")
        raise httpx.HTTPStatusError("boom", request=request, response=httpx.Response(503, request=request))

    def updateAppointment(self, **kwargs: Any) -> Any:
        return [1, 2]

    def refreshAppointment(self, **kwargs: Any) -> Any:
        return {"successful": "yes"}

    def cancelAppointment(self, **kwargs: Any) -> Any:
        request = httpx.Request("DELETE", "https://crm.example/appointments/1")
        raise httpx.HTTPStatusError("limited", request=request, response=httpx.Response(429, request=request))


def _register(rt: Runtime) -> None:
    rt.registry.register_connector("flaky", FlakyCrm())


@pytest.fixture
async def flaky(settings: Settings) -> AsyncIterator[tuple[Client, dict[str, str]]]:
    async with AsyncTestClient(app=create_app(settings, registry_hooks=(_register,))) as client:
        login = await client.post("/apiKeyLogin", json={"platform": "flaky", "apiKey": "k"})
        assert login.status_code == 200, login.text
        yield client, {"Authorization": f"Bearer {login.json()['jwtToken']}"}


CREATE = {"title": "T", "summary": "", "startTimeUtc": "2026-07-20T19:00:00Z", "durationMinutes": 5}


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/appointments", None, "Error performing listAppointments"),
        ("POST", "/appointments", CREATE, "Error creating appointment"),
        ("PATCH", "/appointments/7", {"title": "x"}, "Error updating appointment"),
        ("POST", "/appointments/7/status", {"status": "Done"}, "Error updating appointment"),
        ("GET", "/appointments/7/refresh", None, "Error performing refreshAppointment"),
        ("POST", "/appointments/7/confirm", None, "Error performing confirmAppointment"),  # not implemented
        ("POST", "/appointments/7/cancel", None, "Rate limit exceeded"),
    ],
)
async def test_failure_envelopes(
    flaky: tuple[Client, dict[str, str]], method: str, path: str, body: Any, message: str
) -> None:
    client, headers = flaky
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["successful"] is False
    assert answer["returnMessage"]["message"] == message
    assert answer["returnMessage"]["messageType"] == "warning"
