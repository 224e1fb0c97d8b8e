"""Malformed logging bodies: a JSON 400 naming the problem, and nothing written anywhere (§16.13)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.logging.conftest import Env, call_body, message_body, sms

CALL = "Invalid call log request"
MESSAGE = "Invalid message log request"
DISPOSITION = "Invalid call disposition request"
NOTE = "Missing sessionId or note"


def _raw(text: str) -> dict[str, Any]:
    return {"content": text.encode(), "headers": {"content-type": "application/json"}}


CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/callLog", _raw("{not json"), CALL),
    ("POST", "/callLog", {"json": []}, CALL),
    ("POST", "/callLog", {"json": "text"}, CALL),
    ("POST", "/callLog", {"json": {"contactId": "c"}}, CALL),
    ("POST", "/callLog", {"json": {"logInfo": "s-1", "contactId": "c"}}, CALL),
    ("POST", "/callLog", {"json": {"logInfo": {"sessionId": ""}, "contactId": "c"}}, CALL),
    ("POST", "/callLog", {"json": {"logInfo": {"id": "x"}, "contactId": "c"}}, CALL),
    ("POST", "/callLog", {"json": call_body(note={"nested": "object"})}, CALL),
    ("POST", "/callLog", {"json": call_body(additionalSubmission=[1, 2])}, CALL),
    ("POST", "/callLog", _raw(""), CALL),
    ("PATCH", "/callLog", {"json": {"note": "no session"}}, CALL),
    ("PATCH", "/callLog", {"json": {"sessionId": "s-1", "legs": "not a list"}}, CALL),
    ("PATCH", "/callLog", _raw("[1,"), CALL),
    ("PUT", "/callDisposition", {"json": {"dispositions": {}}}, DISPOSITION),
    ("PUT", "/callDisposition", {"json": {"sessionId": "s-1", "dispositions": "x"}}, DISPOSITION),
    ("POST", "/callLog/cacheNote", {"json": {"sessionId": "s-1"}}, NOTE),
    ("POST", "/callLog/cacheNote", {"json": {"sessionId": 5, "note": "n"}}, NOTE),
    ("POST", "/callLog/cacheNote", _raw("nope"), NOTE),
    ("POST", "/messageLog", {"json": {"logInfo": [], "contactId": "c"}}, MESSAGE),
    ("POST", "/messageLog", {"json": {"contactId": "c"}}, MESSAGE),
    ("POST", "/messageLog", {"json": message_body({"id": 1})}, MESSAGE),  # type: ignore[arg-type]
    ("POST", "/messageLog", {"json": message_body([sms(1, "x", "2024-01-15T10:00:00Z")], contactId="c") | {
        "logInfo": {"messages": [sms(1, "x", "2024-01-15T10:00:00Z")], "correspondents": "+1650"}}}, MESSAGE),
    ("POST", "/messageLog", {"json": message_body([sms(1, "x", "2024-01-15T10:00:00Z")]) | {
        "logInfo": {"messages": [sms(1, "x", "2024-01-15T10:00:00Z")], "correspondents": []}}}, MESSAGE),
    ("POST", "/messageLog", {"json": message_body(["not an object"])}, MESSAGE),  # type: ignore[list-item]
    ("POST", "/messageLog", {"json": message_body([{"type": "SMS"}])}, MESSAGE),
    ("POST", "/messageLog", _raw("{]"), MESSAGE),
]


@pytest.mark.parametrize(("method", "path", "payload", "text"), CASES)
async def test_malformed_body_is_a_json_400_and_writes_nothing(
    env: Env, fake_headers: dict[str, str], method: str, path: str, payload: dict[str, Any], text: str
) -> None:
    extra_headers = payload.pop("headers", {})
    response = await env.client.request(method, path, headers={**fake_headers, **extra_headers}, **payload)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    answer = response.json()
    assert answer["successful"] is False and answer["error"] == text
    assert answer["returnMessage"]["message"] == text
    assert answer["returnMessage"]["ttl"] == 5000
    assert answer["returnMessage"]["details"][0]["items"][0]["text"]  # says what was wrong
    for table in ("call_logs", "message_logs", "message_log_conversations", "note_cache"):
        row = await env.rt.store.db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
        assert row == {"n": 0}, table
    assert env.crm.requests == []


async def test_form_encoded_body_without_logInfo_object_is_refused(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.post("/callLog", data={"logInfo": "x", "contactId": "c"}, headers=fake_headers)
    assert response.status_code == 400 and response.json()["error"] == CALL


async def test_form_encoded_cache_note_is_accepted(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.post("/callLog/cacheNote", data={"sessionId": "s-1", "note": "n"}, headers=fake_headers)
    assert response.json() == {"successful": True, "returnMessage": "Note cache saved"}
