"""Tool behaviour over HTTP: appointments, session tools, errors, identity from the token only."""

from __future__ import annotations

from mcp.client import Client

from tests.mcp._flows import PHONE, fails, ok
from tests.mcp.conftest import connect, login


async def _contact(client: Client) -> str:
    created = await ok(client, "createContact", {"phoneNumber": PHONE, "newContactName": "Dana Reyes"})
    return str(created["contact"]["id"])


async def test_appointments(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        contact_id = await _contact(client)
        created = await ok(
            client,
            "createAppointment",
            {
                "title": "Demo",
                "summary": "Product walk-through",
                "startTimeUtc": "2026-03-06T15:00:00Z",
                "durationMinutes": 30,
                "contacts": [contact_id],
            },
        )
        appointment_id = created["appointmentId"]
        assert created["appointment"]["attendees"][0]["name"] == "Dana Reyes"

        listed = await ok(client, "listAppointments", {"startDate": "2026-03-06", "endDate": "2026-03-06"})
        assert [a["id"] for a in listed["appointments"]] == [appointment_id]
        assert (await ok(client, "listAppointments", {"startDate": "2026-03-07", "endDate": "2026-03-08"}))[
            "appointments"
        ] == []

        moved = await ok(
            client,
            "updateAppointment",
            {"appointmentId": appointment_id, "startTimeUtc": "2026-03-06T17:00:00+01:00", "durationMinutes": 45},
        )
        assert moved["appointment"]["startTimeUtc"] == "2026-03-06T16:00:00.000Z"
        assert moved["appointment"]["title"] == "Demo"

        confirmed = await ok(client, "confirmAppointment", {"appointmentId": appointment_id})
        assert confirmed["appointment"]["status"] == "confirmed"
        cancelled = await ok(client, "cancelAppointment", {"appointmentId": appointment_id})
        assert cancelled["appointment"]["status"] == "cancelled"

        missing = await fails(client, "confirmAppointment", {"appointmentId": "404"})
        assert "Appointment not found." in missing


async def test_invalid_arguments_name_the_field_and_write_nothing(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        contact_id = await _contact(client)
        no_session = await fails(client, "createCallLog", {"logInfo": {"direction": "Inbound"}, "contactId": contact_id})
        assert "logInfo.sessionId" in no_session
        bad_start = await fails(
            client, "createAppointment", {"title": "Demo", "startTimeUtc": "tomorrow at 3", "durationMinutes": 30}
        )
        assert "startTimeUtc" in bad_start
        bad_duration = await fails(
            client, "createAppointment", {"title": "Demo", "startTimeUtc": "2026-03-06T15:00:00Z", "durationMinutes": 0}
        )
        assert "durationMinutes" in bad_duration
        half_move = await fails(
            client, "updateAppointment", {"appointmentId": "1", "startTimeUtc": "2026-03-06T15:00:00Z"}
        )
        assert "durationMinutes" in half_move
        bad_range = await fails(client, "listAppointments", {"startDate": "2026-03-06"})
        assert "Invalid appointment date range" in bad_range and "endDate" in bad_range
        too_many = await fails(client, "getCallLog", {"sessionIds": ["a", "b", "c", "d", "e", "f"]})
        assert "sessionIds" in too_many

        assert (await ok(client, "listAppointments", {}))["appointments"] == []
        logs = await ok(client, "getCallLog", {"sessionIds": ["s-1"]})
        assert logs["logs"] == [{"sessionId": "s-1", "matched": False}]


async def test_business_failures_carry_the_return_message(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        no_contact = await fails(
            client, "createCallLog", {"logInfo": {"sessionId": "s-9", "direction": "Outbound"}, "contactId": 0}
        )
        assert "Contact not found for number" in no_contact
        not_logged = await fails(client, "updateCallLog", {"sessionId": "never-logged", "note": "x"})
        assert "never-logged" in not_logged
        no_log = await fails(client, "upsertCallDisposition", {"sessionId": "never-logged", "dispositions": {"a": 1}})
        assert "Cannot find log" in no_log
        no_messages = await fails(
            client,
            "createMessageLog",
            {
                "logInfo": {
                    "conversationId": "c",
                    "conversationLogId": "c-2026-03-02",
                    "correspondents": [{"phoneNumber": PHONE}],
                    "messages": [],
                },
                "contactId": "1",
            },
        )
        assert "No message to log." in no_messages


async def test_session_tools(base_url: str, jwt: str) -> None:
    async with connect(base_url, jwt) as client:
        info = await ok(client, "getSessionInfo", {})
        assert info["platform"] == "local" and info["userId"].endswith("-local")
        assert info["connectorDisplayName"] == "Local CRM"
        assert info["logFormat"] == "text/plain"
        assert "createCallLog" in info["interfaces"] and "listAppointments" in info["interfaces"]
        assert "getBasicAuth" not in info["interfaces"]
        connectors = (await ok(client, "listConnectors", {}))["connectors"]
        local = next(c for c in connectors if c["name"] == "local")
        assert local["displayName"] == "Local CRM" and local["authType"] == "apiKey"
        assert jwt not in str(info)


async def test_identity_comes_from_the_bearer_token_only(base_url: str, jwt: str) -> None:
    other = login(base_url, api_key="someone-else")
    async with connect(base_url, jwt) as client:
        mine = await ok(
            client,
            "createAppointment",
            # Extra arguments cannot name another user: they are not part of any tool's input.
            {"title": "Mine", "startTimeUtc": "2026-03-06T15:00:00Z", "durationMinutes": 15, "jwtToken": other},
        )
    async with connect(base_url, other) as client:
        theirs = await ok(client, "listAppointments", {})
        assert theirs["appointments"] == []
        info = await ok(client, "getSessionInfo", {})
    async with connect(base_url, jwt) as client:
        assert [a["id"] for a in (await ok(client, "listAppointments", {}))["appointments"]] == [mine["appointmentId"]]
        assert (await ok(client, "getSessionInfo", {}))["userId"] != info["userId"]
