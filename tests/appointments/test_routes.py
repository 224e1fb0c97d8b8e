"""Appointment routes end to end through create_app against the built-in local connector."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]

START = "2026-07-20T19:00:00.000Z"


def _payload(contact_id: str, **changes: Any) -> dict[str, Any]:
    payload = {
        "title": "Strategy call",
        "summary": "Discuss the plan",
        "startTimeUtc": START,
        "durationMinutes": 30,
        "contacts": [{"id": contact_id, "type": "Contact"}],
    }
    payload.update(changes)
    return payload


async def _create(client: Client, headers: dict[str, str], contact_id: str) -> str:
    response = await client.post("/appointments", json={"payload": _payload(contact_id)}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["successful"] is True, body
    return str(body["appointmentId"])


async def test_lifecycle(client: Client, headers: dict[str, str], contact_id: str) -> None:
    appointment_id = await _create(client, headers, contact_id)

    listed = (await client.get("/appointments", headers=headers)).json()
    assert listed["successful"] is True
    assert [a["id"] for a in listed["appointments"]] == [appointment_id]
    assert listed["appointments"][0]["attendees"][0]["name"] == "Ann Lee"

    inside = await client.get("/appointments?startDate=2026-07-20&endDate=2026-07-20", headers=headers)
    assert [a["id"] for a in inside.json()["appointments"]] == [appointment_id]
    outside = await client.get("/appointments?startDate=2026-07-21&endDate=2026-07-31", headers=headers)
    assert outside.json() == {"successful": True, "appointments": []}

    patched = await client.patch(f"/appointments/{appointment_id}", json={"patch": {"title": "Renamed"}}, headers=headers)
    body = patched.json()
    assert body["successful"] is True and body["appointmentId"] == appointment_id
    assert body["appointment"]["title"] == "Renamed"
    assert body["appointment"]["summary"] == "Discuss the plan"  # omitted fields are kept

    moved = await client.patch(
        f"/appointments/{appointment_id}",
        json={"startTimeUtc": "2026-07-21T09:00:00+02:00", "durationMinutes": 45},
        headers=headers,
    )
    assert moved.json()["appointment"]["startTimeUtc"] == "2026-07-21T07:00:00.000Z"
    assert moved.json()["appointment"]["durationMinutes"] == 45

    status = await client.post(f"/appointments/{appointment_id}/status", json={"status": "TENTATIVE"}, headers=headers)
    assert status.status_code == 200
    assert status.json()["appointment"]["status"] == "tentative"

    refreshed = (await client.get(f"/appointments/{appointment_id}/refresh", headers=headers)).json()
    assert refreshed["successful"] is True
    assert refreshed["appointmentId"] == appointment_id
    assert refreshed["appointment"]["title"] == "Renamed"

    confirmed = (await client.post(f"/appointments/{appointment_id}/confirm", headers=headers)).json()
    assert confirmed["appointment"]["status"] == "confirmed"
    cancelled = (await client.post(f"/appointments/{appointment_id}/cancel", headers=headers)).json()
    assert cancelled["successful"] is True
    assert cancelled["appointment"]["status"] == "cancelled"


async def test_bare_create_payload_is_accepted(client: Client, headers: dict[str, str], contact_id: str) -> None:
    response = await client.post("/appointments", json=_payload(contact_id, contacts=[int(contact_id)]), headers=headers)
    assert response.json()["successful"] is True
    assert response.json()["appointment"]["contactId"] == contact_id


async def test_connector_refusal_is_a_200_envelope(client: Client, headers: dict[str, str]) -> None:
    response = await client.post("/appointments/999/confirm", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["successful"] is False
    assert body["returnMessage"]["message"] == "Appointment not found."
    assert "appointmentId" not in body


async def test_every_route_needs_a_session(client: Client) -> None:
    calls = [
        client.get("/appointments"),
        client.post("/appointments", json={}),
        client.patch("/appointments/1", json={"title": "x"}),
        client.post("/appointments/1/status", json={"status": "x"}),
        client.get("/appointments/1/refresh"),
        client.post("/appointments/1/confirm"),
        client.post("/appointments/1/cancel"),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 400
        assert response.json()["error"] == "Please go to Settings and authorize CRM platform"


async def test_user_without_credentials_is_not_found(client: Client, headers: dict[str, str]) -> None:
    await client.post("/unAuthorize", headers=headers)
    response = await client.get("/appointments", headers=headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": "User not found", "messageType": "warning", "ttl": 5000},
    }
