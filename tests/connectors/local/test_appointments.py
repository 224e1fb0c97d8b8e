"""Appointments: create, list (with date range), update, refresh, confirm, cancel."""

from __future__ import annotations

from typing import Any

import pytest

from composer.store import UserRecord
from connectors.local import LocalConnector


async def _contact(connector: LocalConnector, user: UserRecord, name: str) -> str:
    return (await connector.create_contact(user.id, name=name, phones=["+16505550100"])).id


async def _create(connector: LocalConnector, user: UserRecord, **payload: Any) -> dict[str, Any]:
    body = {
        "title": "Demo",
        "summary": "Walk-through",
        "startTimeUtc": "2024-03-06T15:00:00Z",
        "durationMinutes": 30,
    }
    result: dict[str, Any] = await connector.createAppointment(
        user=user, authHeader="", payload={**body, **payload}, proxyConfig=None
    )
    return result


async def test_lifecycle(connector: LocalConnector, user: UserRecord) -> None:
    ann = await _contact(connector, user, "Ann Lee")
    bob = await _contact(connector, user, "Bob Stone")
    created = await _create(connector, user, contacts=[int(ann), {"id": bob, "contactType": "Lead"}])
    appointment_id = created["appointmentId"]
    assert created["returnMessage"]["messageType"] == "success"
    assert created["appointment"] == {
        "id": appointment_id,
        "thirdPartyAppointmentId": appointment_id,
        "title": "Demo",
        "summary": "Walk-through",
        "description": "Walk-through",
        "startTimeUtc": "2024-03-06T15:00:00.000Z",
        "durationMinutes": 30,
        "status": "scheduled",
        "participantName": "Ann Lee",
        "contactId": ann,
        "contactType": "Contact",
        "attendees": [
            {"id": ann, "name": "Ann Lee", "type": "Contact"},
            {"id": bob, "name": "Bob Stone", "type": "Lead"},
        ],
        "attendeeIds": [ann, bob],
    }

    listed = await connector.listAppointments(user=user, authHeader="", range=None, proxyConfig=None)
    assert [a["id"] for a in listed["appointments"]] == [appointment_id]

    updated = await connector.updateAppointment(
        user=user,
        authHeader="",
        appointmentId=appointment_id,
        patchBody={
            "title": "Demo v2",
            "contacts": [bob],
            "startTimeUtc": "2024-03-06T17:30:00+02:00",
            "durationMinutes": 45,
        },
        proxyConfig=None,
    )
    appointment = updated["appointment"]
    assert appointment["title"] == "Demo v2"
    assert appointment["summary"] == "Walk-through"  # omitted fields are kept
    assert appointment["startTimeUtc"] == "2024-03-06T15:30:00.000Z"
    assert appointment["durationMinutes"] == 45
    assert appointment["attendeeIds"] == [bob] and appointment["participantName"] == "Bob Stone"

    status = await connector.updateAppointment(
        user=user, appointmentId=appointment_id, patchBody={"status": "Tentative"}
    )
    assert status["appointment"]["status"] == "tentative"

    confirmed = await connector.confirmAppointment(
        user=user, authHeader="", appointmentId=appointment_id, proxyConfig=None
    )
    assert confirmed["appointment"]["status"] == "confirmed"
    refreshed = await connector.refreshAppointment(user=user, appointmentId=appointment_id)
    assert refreshed == {"appointment": confirmed["appointment"]}
    cancelled = await connector.cancelAppointment(user=user, appointmentId=appointment_id)
    assert cancelled["appointment"]["status"] == "cancelled"
    assert cancelled["returnMessage"]["message"] == "Appointment cancelled."


async def test_list_with_a_date_range(connector: LocalConnector, user: UserRecord) -> None:
    early = (await _create(connector, user, startTimeUtc="2024-03-01T00:00:00Z"))["appointmentId"]
    late = (await _create(connector, user, startTimeUtc="2024-03-03T23:59:59.999Z"))["appointmentId"]
    await _create(connector, user, startTimeUtc="2024-03-04T00:00:00Z")
    await _create(connector, user, startTimeUtc="2024-02-29T23:59:59Z")
    listed = await connector.listAppointments(
        user=user, range={"startDate": "2024-03-01", "endDate": "2024-03-03"}
    )
    assert [a["id"] for a in listed["appointments"]] == [early, late]
    bad = await connector.listAppointments(
        user=user, range={"startDate": "2024-03-05", "endDate": "2024-03-01"}
    )
    assert bad["successful"] is False


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"startTimeUtc": "tomorrow"},
        {"durationMinutes": 0},
        {"durationMinutes": 1.5},
        {"durationMinutes": True},
        {"contacts": "ann"},
        {"contacts": [{"type": "Contact"}]},
        {"contacts": ["999999999999999"]},
    ],
)
async def test_invalid_create_is_refused(
    connector: LocalConnector, user: UserRecord, payload: dict[str, Any]
) -> None:
    result = await _create(connector, user, **payload)
    assert result["successful"] is False
    assert result["returnMessage"]["messageType"] == "warning"
    assert (await connector.listAppointments(user=user))["appointments"] == []


async def test_unknown_and_foreign_appointments(
    connector: LocalConnector, user: UserRecord, other_user: UserRecord
) -> None:
    appointment_id = (await _create(connector, user))["appointmentId"]
    for who, target in ((user, "999999999999999"), (other_user, appointment_id)):
        for call in (connector.refreshAppointment, connector.confirmAppointment, connector.cancelAppointment):
            result = await call(user=who, appointmentId=target)
            assert result["successful"] is False
        result = await connector.updateAppointment(user=who, appointmentId=target, patchBody={"title": "x"})
        assert result["successful"] is False
    assert (await connector.listAppointments(user=other_user))["appointments"] == []
    assert (await connector.refreshAppointment(user=user, appointmentId=appointment_id))["appointment"][
        "status"
    ] == "scheduled"


@pytest.mark.parametrize(
    "patch",
    [
        {"title": " "},
        {"status": ""},
        {"startTimeUtc": "nope"},
        {"durationMinutes": -5},
        {"contacts": ["999999999999999"]},
    ],
)
async def test_invalid_update_is_refused(
    connector: LocalConnector, user: UserRecord, patch: dict[str, Any]
) -> None:
    appointment_id = (await _create(connector, user))["appointmentId"]
    result = await connector.updateAppointment(user=user, appointmentId=appointment_id, patchBody=patch)
    assert result["successful"] is False
    unchanged = (await connector.refreshAppointment(user=user, appointmentId=appointment_id))["appointment"]
    assert unchanged["title"] == "Demo" and unchanged["durationMinutes"] == 30


async def test_deprecated_start_time_and_deleted_contact(
    connector: LocalConnector, user: UserRecord, db: Any
) -> None:
    ann = await _contact(connector, user, "Ann Lee")
    appointment_id = (await _create(connector, user, contacts=[ann]))["appointmentId"]
    result = await connector.updateAppointment(
        user=user,
        appointmentId=appointment_id,
        patchBody={"startTime": "2024-03-07T09:00:00Z", "durationMinutes": 15},
    )
    assert result["appointment"]["startTimeUtc"] == "2024-03-07T09:00:00.000Z"
    await db.execute("DELETE FROM local_contacts WHERE id = ?", ann)
    refreshed = (await connector.refreshAppointment(user=user, appointmentId=appointment_id))["appointment"]
    assert refreshed["attendees"] == [{"id": ann, "name": "", "type": "Contact"}]
