"""Call and message logging against a running server (`make serve`), step by step.

Logs in to the built-in local CRM, creates a contact, logs a call, posts the same call again
(the server answers with a warning instead of a second activity), adds a recording link and
a note (the body is updated in place), edits the activity in the CRM as a person would, adds
another note (the edit survives), then logs an SMS conversation of three messages spanning
two days (two activities, one per day, messages in order) and prints the stored bodies.

Usage: .venv/bin/python examples/logging_walkthrough.py [BASE_URL] [API_KEY]
"""

from __future__ import annotations

import json
import sys
import uuid
from typing import Any

import httpx

CONTACT_PHONE = "+16505550142"
AGENT_PHONE = "+14155550100"


def show(title: str, response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    print(f"\n== {title} (HTTP {response.status_code})")
    print(json.dumps(body, indent=2)[:1200])
    response.raise_for_status()
    return body


def activity(http: httpx.Client, activity_id: str) -> dict[str, Any]:
    activities = http.get("/local/activities").json()["activities"]
    found: dict[str, Any] = next(a for a in activities if a["id"] == activity_id)
    return found


def print_body(title: str, found: dict[str, Any]) -> None:
    print(f"\n-- {title}: activity {found['id']} ({found['subject']})")
    print(found["body"])


def sms(message_id: int, text: str, created: str, direction: str) -> dict[str, Any]:
    inbound = direction == "Inbound"
    return {
        "id": message_id,
        "type": "SMS",
        "direction": direction,
        "subject": text,
        "from": {"phoneNumber": CONTACT_PHONE if inbound else AGENT_PHONE},
        "to": [{"phoneNumber": AGENT_PHONE if inbound else CONTACT_PHONE}],
        "creationTime": created,
        "lastModifiedTime": created,
    }


def log_call(http: httpx.Client, contact_id: str, session_id: str) -> str:
    call = {
        "logInfo": {
            "id": f"rec-{session_id}",
            "sessionId": session_id,
            "direction": "Inbound",
            "from": {"phoneNumber": CONTACT_PHONE, "name": "Jordan Lee"},
            "to": {"phoneNumber": AGENT_PHONE, "extensionNumber": "101"},
            "startTime": "2024-03-05T14:07:09.000Z",
            "duration": 95,
            "result": "Call connected",
        },
        "contactId": contact_id,
        "contactName": "Jordan Lee",
        "note": "Asked about the renewal price.",
        "hashedExtensionId": "walkthrough-ext-101",
    }
    created = show("log the call", http.post("/callLog", json=call))
    show("log the same call again: a warning, no second activity", http.post("/callLog", json=call))
    log_id: str = created["logId"]
    print_body("as created", activity(http, log_id))
    return log_id


def update_call(http: httpx.Client, session_id: str, log_id: str) -> None:
    identity = {"sessionId": session_id, "hashedExtensionId": "walkthrough-ext-101"}
    patch = {**identity, "recordingLink": "https://media.example.com/recording/42", "note": "Renewal agreed at 10% off."}
    show("add the recording link and a note", http.patch("/callLog", json=patch))
    print_body("updated in place", activity(http, log_id))
    edited = activity(http, log_id)["body"] + "Follow-up: send the contract on Friday (typed in the CRM)\n"
    show("edit the activity in the CRM", http.patch(f"/local/activities/{log_id}", json={"body": edited}))
    show("add another note", http.patch("/callLog", json={**identity, "note": "Contract sent."}))
    print_body("the CRM edit survived", activity(http, log_id))


def log_conversation(http: httpx.Client, contact_id: str) -> list[str]:
    conversation_id = f"conv-{uuid.uuid4().hex[:8]}"
    days = {
        "2024-03-05": [  # newest first, as the client sends them
            sms(9002, "Great, talk tomorrow.", "2024-03-05T16:30:00.000Z", "Outbound"),
            sms(9001, "Can you call me about the renewal?", "2024-03-05T16:20:00.000Z", "Inbound"),
        ],
        "2024-03-06": [sms(9003, "Thanks for the call!", "2024-03-06T09:15:00.000Z", "Inbound")],
    }
    activity_ids: list[str] = []
    for day, messages in days.items():
        body = {
            "logInfo": {
                "conversationId": conversation_id,
                "conversationLogId": f"{conversation_id}-{day}",
                "correspondents": [{"phoneNumber": CONTACT_PHONE, "name": "Jordan Lee"}],
                "messages": messages,
            },
            "contactId": contact_id,
            "contactName": "Jordan Lee",
        }
        show(f"log the SMS of {day}", http.post("/messageLog", json=body))
    for found in http.get("/local/activities", params={"contactId": contact_id}).json()["activities"]:
        if found["kind"] == "sms":
            activity_ids.append(found["id"])
            print_body("SMS conversation", found)
    return activity_ids


def main(base_url: str = "http://127.0.0.1:8000", api_key: str = "demo") -> dict[str, Any]:
    with httpx.Client(base_url=base_url, timeout=15) as http:
        login = show("login to local with an API key", http.post("/apiKeyLogin", json={"platform": "local", "apiKey": api_key}))
        http.headers["Authorization"] = f"Bearer {login['jwtToken']}"
        contact = show(
            "create a contact",
            http.post("/contact", json={"phoneNumber": CONTACT_PHONE, "newContactName": "Jordan Lee", "newContactType": "Contact"}),
        )
        contact_id: str = contact["contact"]["id"]
        session_id = f"walkthrough-{uuid.uuid4().hex[:12]}"
        log_id = log_call(http, contact_id, session_id)
        update_call(http, session_id, log_id)
        sms_ids = log_conversation(http, contact_id)
        print(f"\nSee everything in the local CRM: {base_url}/local/?apiKey={api_key}")
        return {"call": activity(http, log_id), "sms": [activity(http, i) for i in sms_ids]}


if __name__ == "__main__":
    main(*sys.argv[1:3])
