"""One walk through every SQL statement of the local CRM, on SQLite and PostgreSQL.

The other tests of this package run on SQLite only, to stay fast; this one proves the SQL
is portable (parameter types included: asyncpg refuses a str for a BIGINT and vice versa).
"""

from __future__ import annotations

import asyncio

import composer.compose
from composer.store import Database, UserRecord
from connectors.local import LocalConnector
from connectors.local.demo import seed_demo

from ._clock import FakeClock


async def test_every_statement(database: Database, clock: FakeClock) -> None:
    connector = LocalConnector(database, bodies=composer.compose, clock=clock)
    user = UserRecord(id="0123456789abcdef-local", platform="local", accessToken="k")
    stranger = UserRecord(id="fedcba9876543210-local", platform="local", accessToken="k")

    seeded = await seed_demo(database, user.id, clock=clock)
    assert not any(c["created"] for c in await seed_demo(database, user.id, clock=clock))
    created = await connector.createContact(user=user, phoneNumber="(650) 555-0111", newContactName="Zed")
    contact_id = created["contactInfo"]["id"]
    await connector.create_contact(user.id, name="Short", phones=["12-34", "12-34", " "])

    found = await connector.findContact(user=user, phoneNumber="+16505550111")
    assert [m["id"] for m in found["matchedContactInfo"]][:1] == [contact_id]
    assert (await connector.findContact(user=user, phoneNumber="1234"))["matchedContactInfo"][0][
        "name"
    ] == "Short"
    assert (await connector.findContact(user=stranger, phoneNumber="+16505550111"))["matchedContactInfo"][0][
        "isNewContact"
    ]
    assert len((await connector.findContactWithName(user=user, name="e"))["matchedContactInfo"]) >= 2

    log = await connector.createCallLog(
        user=user,
        contactInfo={"id": contact_id, "name": ""},
        callLog={"sessionId": "s"},
        composedLogDetails="a",
    )
    existing = {"thirdPartyLogId": log["logId"]}
    await connector.updateCallLog(user=user, existingCallLog=existing, composedLogDetails="b", subject="S")
    await connector.upsertCallDisposition(user=user, existingCallLog=existing, dispositions={"k": 1})
    info = (await connector.getCallLog(user=user, callLogId=log["logId"]))["callLogInfo"]
    assert (info["fullBody"], info["subject"], info["dispositions"], info["contactName"]) == (
        "b",
        "S",
        {"k": 1},
        "Zed",
    )
    match = (await connector.findContact(user=user, phoneNumber="6505550111"))["matchedContactInfo"][0]
    assert "mostRecentActivityDate" in match

    message = {"direction": "Inbound", "subject": "hi", "creationTime": "2024-03-05T14:00:00Z"}
    sms = await connector.createMessageLog(user=user, contactInfo={"id": contact_id}, message=message)
    await asyncio.gather(
        *(
            connector.updateMessageLog(
                user=user,
                existingMessageLog={"thirdPartyLogId": sms["logId"]},
                message={**message, "subject": f"n{n}"},
            )
            for n in range(3)
        )
    )
    await connector.edit_activity_body(user.id, log["logId"], "edited")
    activities = await connector.list_activities(user.id)
    assert len(activities) == 2 and len(await connector.list_activities(user.id, contact_id)) == 2
    assert "Conversation(4 messages)" in next(a.body for a in activities if a.kind == "sms")

    appointment = await connector.createAppointment(
        user=user,
        payload={
            "title": "T",
            "summary": "",
            "startTimeUtc": "2024-03-06T10:00:00Z",
            "durationMinutes": 30,
            "contacts": [contact_id, seeded[0]["id"]],
        },
    )
    appointment_id = appointment["appointmentId"]
    await connector.updateAppointment(
        user=user, appointmentId=appointment_id, patchBody={"contacts": [], "summary": "x"}
    )
    await connector.confirmAppointment(user=user, appointmentId=appointment_id)
    listed = await connector.listAppointments(
        user=user, range={"startDate": "2024-03-06", "endDate": "2024-03-06"}
    )
    [only] = listed["appointments"]
    assert (only["status"], only["summary"], only["attendees"]) == ("confirmed", "x", [])
    assert (await connector.listAppointments(user=stranger))["appointments"] == []
    assert len(await connector.list_contacts(user.id)) == len(seeded) + 2
