"""Input validation (spec §15.1): 400 {"error": title, "details": [{path, message}]}, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]

GOOD = {"title": "Call", "summary": "", "startTimeUtc": "2026-07-20T19:00:00Z", "durationMinutes": 30}


def _paths(body: dict[str, Any]) -> list[str]:
    return [detail["path"] for detail in body["details"]]


@pytest.mark.parametrize(
    ("query", "paths"),
    [
        ("startDate=2026-07-01", ["endDate"]),
        ("endDate=2026-07-01", ["startDate"]),
        ("startDate=2026-7-1&endDate=2026-07-02", ["startDate"]),
        ("startDate=2026-02-30&endDate=2026-03-02", ["startDate"]),
        ("startDate=2026-07-02&endDate=2026-07-01", ["startDate"]),
    ],
)
async def test_date_range(client: Client, headers: dict[str, str], query: str, paths: list[str]) -> None:
    response = await client.get(f"/appointments?{query}", headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid appointment date range"
    assert _paths(response.json()) == paths


async def test_ignored_list_parameters(client: Client, headers: dict[str, str]) -> None:
    response = await client.get("/appointments?mineOnly=true&forceSync=true&range=x", headers=headers)
    assert response.json() == {"successful": True, "appointments": []}


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"payload": {**GOOD, "title": ""}}, ["payload.title"]),
        ({"payload": {k: v for k, v in GOOD.items() if k != "summary"}}, ["payload.summary"]),
        ({**GOOD, "startTimeUtc": "2026-07-20T19:00:00"}, ["startTimeUtc"]),
        ({**GOOD, "startTimeUtc": "tomorrow"}, ["startTimeUtc"]),
        ({**GOOD, "durationMinutes": 0}, ["durationMinutes"]),
        ({**GOOD, "durationMinutes": 1.5}, ["durationMinutes"]),
        ({**GOOD, "durationMinutes": "30"}, ["durationMinutes"]),
        ({**GOOD, "contacts": ["0"]}, ["contacts.0"]),
        ({**GOOD, "contacts": [-3, {"id": "abc"}]}, ["contacts.0", "contacts.1.id"]),
        ({**GOOD, "contacts": [{"id": 5, "color": "red"}]}, ["contacts.0.color"]),
        ({**GOOD, "location": "office"}, ["location"]),
        ({"payload": GOOD, "extra": 1}, ["payload", "extra", "title", "summary", "startTimeUtc", "durationMinutes"]),
        ([GOOD], [""]),
    ],
)
async def test_create(client: Client, headers: dict[str, str], body: Any, paths: list[str]) -> None:
    response = await client.post("/appointments", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Invalid appointment create request"
    assert _paths(response.json()) == paths
    listed = await client.get("/appointments", headers=headers)
    assert listed.json()["appointments"] == []


async def test_malformed_json(client: Client, headers: dict[str, str]) -> None:
    response = await client.post(
        "/appointments", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid appointment create request"


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"patch": {}}, ["patch"]),
        ({}, [""]),
        ({"patch": {"title": ""}}, ["patch.title"]),
        ({"patch": {"status": "done"}}, ["patch.status", "patch"]),
        ({"startTimeUtc": "2026-07-20T19:00:00Z"}, ["durationMinutes"]),
        ({"durationMinutes": 15}, ["startTimeUtc"]),
        ({"startTime": "2026-07-20T19:00:00", "durationMinutes": 15}, ["startTime"]),
        (
            {"startTime": "2026-07-20T19:00:00Z", "startTimeUtc": "2026-07-20T19:00:00Z", "durationMinutes": 15},
            ["startTime"],
        ),
        ({"contacts": "5"}, ["contacts"]),
    ],
)
async def test_patch(client: Client, headers: dict[str, str], body: Any, paths: list[str]) -> None:
    response = await client.patch("/appointments/1", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Invalid appointment patch request"
    assert _paths(response.json()) == paths


@pytest.mark.parametrize("body", [{}, {"status": ""}, {"status": 3}, {"status": "ok", "note": "x"}])
async def test_status(client: Client, headers: dict[str, str], body: Any) -> None:
    response = await client.post("/appointments/1/status", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid appointment status request"
    assert response.json()["details"]
