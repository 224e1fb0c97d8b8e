"""PATCH /callLog (http-api.md §10.4, §17 item 11): read the CRM body, merge, write it back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from composer.services import log_waits
from composer.store.call_logs import Reservation
from tests.fakes import FAKE_PLATFORM
from tests.logging.conftest import Env, call_body


async def _create(env: Env, headers: dict[str, str], **overrides: Any) -> str:
    response = await env.client.post("/callLog", json=call_body(**overrides), headers=headers)
    assert response.json()["successful"] is True, response.text
    log_id: str = response.json()["logId"]
    return log_id


async def test_unknown_session_is_just_unsuccessful(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.patch("/callLog", json={"sessionId": "nope", "note": "x"}, headers=fake_headers)
    assert response.status_code == 200 and response.json() == {"successful": False}
    assert env.crm.requests == []


async def test_update_reads_the_crm_body_first_and_merges_into_it(env: Env, fake_headers: dict[str, str]) -> None:
    log_id = await _create(env, fake_headers)
    env.crm.activities[log_id]["body"] = "Written by hand in the CRM\n" + env.crm.activities[log_id]["body"]
    patch = {"sessionId": "s-1", "hashedExtensionId": "hash-101", "note": "Renewal agreed", "recordingLink": "https://rec/1"}
    response = await env.client.patch("/callLog", json=patch, headers=fake_headers)
    assert response.json() == {
        "successful": True,
        "logId": log_id,
        "updatedNote": "Renewal agreed",
        "returnMessage": {"message": "Call log updated", "messageType": "success", "ttl": 2000},
    }
    assert [route for route, _ in env.crm.requests] == ["create", "read", "update"]
    read = env.connector.calls("getCallLog")[0]
    assert read["callLogId"] == log_id and read["telephonySessionId"] == "tel-s-1" and read["contactId"] == "c-42"
    sent = env.connector.calls("updateCallLog")[0]
    assert sent["existingCallLogDetails"]["id"] == log_id  # getCallLog's fullLogResponse, passed on
    assert sent["existingCallLog"]["thirdPartyLogId"] == log_id
    body = env.crm.activities[log_id]["body"]
    assert body.startswith("Written by hand in the CRM\n- Note: Renewal agreed\n")  # replaced in place
    assert body.count("Note:") == 1 and "- Call recording link: https://rec/1\n" in body
    assert "Duration: 1 minute, 5 seconds" in body  # untouched sections stay


async def test_a_failing_read_still_updates_from_an_empty_body(env: Env, fake_headers: dict[str, str]) -> None:
    log_id = await _create(env, fake_headers)
    env.crm.fail_next("read", "500")
    response = await env.client.patch(
        "/callLog", json={"sessionId": "s-1", "hashedExtensionId": "hash-101", "note": "n2"}, headers=fake_headers
    )
    assert response.json()["successful"] is True
    sent = env.connector.calls("updateCallLog")[0]
    assert sent["existingCallLogDetails"] is None
    assert sent["composedLogDetails"] == "- Note: n2\n"
    assert env.crm.activities[log_id]["body"] == "- Note: n2\n"


@pytest.mark.parametrize("log_format", ["application/vnd.custom"])
async def test_own_format_connectors_are_not_read_before_update(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers)
    await env.client.patch("/callLog", json={"sessionId": "s-1", "note": "x"}, headers=fake_headers)
    assert env.connector.calls("getCallLog") == []
    assert env.connector.calls("updateCallLog")[0]["composedLogDetails"] == ""


async def test_update_failure_is_the_spec_message(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers)
    env.crm.fail_next("update", "500")
    response = await env.client.patch("/callLog", json={"sessionId": "s-1", "note": "x"}, headers=fake_headers)
    message = response.json()["returnMessage"]
    assert response.status_code == 200 and response.json()["successful"] is False
    assert message["message"] == "Error updating call log"
    assert message["details"][0]["items"][0]["text"] == (
        "Please check if the log entity still exists on fakecrm and your account has permission to EDIT logs."
    )


async def test_duration_absent_and_null_differ(env: Env, fake_headers: dict[str, str]) -> None:
    log_id = await _create(env, fake_headers)
    await env.client.patch("/callLog", json={"sessionId": "s-1", "note": "a"}, headers=fake_headers)
    assert "Duration: 1 minute, 5 seconds" in env.crm.activities[log_id]["body"]
    await env.client.patch("/callLog", json={"sessionId": "s-1", "duration": None}, headers=fake_headers)
    assert "Duration: 0 seconds" in env.crm.activities[log_id]["body"]
    assert env.connector.calls("updateCallLog")[0]["duration"] is None


async def test_patch_waits_for_a_pending_create(
    env: Env, fake_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_waits, "POLL_INTERVAL_S", 0.02)
    store = env.rt.store.call_logs
    reservation = await store.reserve(platform=FAKE_PLATFORM, session_id="s-9", extension_number="", hashed_extension_id="")
    assert isinstance(reservation, Reservation)
    created = await env.crm._handle(  # the create the other request is making
        __import__("httpx").Request("POST", "https://fake-crm.test/activities", json={"body": "old"})
    )
    crm_id = created.json()["id"]

    async def finish_later() -> None:
        await asyncio.sleep(0.1)
        await store.finalize(reservation, third_party_log_id=crm_id, user_id="u", contact_id="c", telephony_id="t")

    task = asyncio.create_task(finish_later())
    response = await env.client.patch("/callLog", json={"sessionId": "s-9", "note": "late"}, headers=fake_headers)
    await task
    assert response.json()["successful"] is True, response.json()
    assert response.json()["logId"] == crm_id


async def test_patch_gives_up_on_a_create_still_in_progress(
    env: Env, fake_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_waits, "POLL_INTERVAL_S", 0.02)
    monkeypatch.setattr(log_waits, "WAIT_LIMIT_S", 0.2)
    await env.rt.store.call_logs.reserve(platform=FAKE_PLATFORM, session_id="s-9", extension_number="", hashed_extension_id="")
    response = await env.client.patch("/callLog", json={"sessionId": "s-9", "note": "late"}, headers=fake_headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {
            "message": "Log creation for session s-9 is still in progress. Please try again.",
            "messageType": "warning",
            "ttl": 3000,
        },
    }


async def test_sscl_patch_finds_the_log_by_raw_extension_id(env: Env, fake_headers: dict[str, str]) -> None:
    body = call_body(hashedExtensionId=None, rcExtensionId="777")
    body["logInfo"]["duration"] = "pending"
    log_id = await _create(env, fake_headers, **{k: body[k] for k in ("hashedExtensionId", "rcExtensionId", "logInfo")})
    response = await env.client.patch(
        "/callLog", json={"sessionId": "s-1", "rcExtensionId": "777", "duration": 300}, headers={**fake_headers, "User-Agent": "SSCL"}
    )
    assert response.json()["logId"] == log_id
    assert "Duration: 5 minutes" in env.crm.activities[log_id]["body"]
    assert env.connector.calls("updateCallLog")[0]["isFromSSCL"] is True


async def test_crm_side_edit_survives_updates_in_the_local_crm(env: Env, local_headers: dict[str, str]) -> None:
    contact_id = await env.local_contact(local_headers)
    log_id = await _create(env, local_headers, contactId=contact_id)
    first = {"sessionId": "s-1", "hashedExtensionId": "hash-101", "note": "First note", "recordingLink": "https://rec/1"}
    assert (await env.client.patch("/callLog", json=first, headers=local_headers)).json()["successful"] is True
    activities = (await env.client.get("/local/activities", headers=local_headers)).json()["activities"]
    body = next(a for a in activities if a["id"] == log_id)["body"]
    edited = body + "Follow-up booked by phone (typed in the CRM)\n"
    edit = await env.client.patch(f"/local/activities/{log_id}", json={"body": edited}, headers=local_headers)
    assert edit.json()["successful"] is True
    second = {"sessionId": "s-1", "hashedExtensionId": "hash-101", "note": "Second note"}
    assert (await env.client.patch("/callLog", json=second, headers=local_headers)).json()["successful"] is True
    activities = (await env.client.get("/local/activities", headers=local_headers)).json()["activities"]
    final = next(a for a in activities if a["id"] == log_id)["body"]
    assert "Follow-up booked by phone (typed in the CRM)\n" in final
    assert "Second note" in final and "First note" not in final
    assert "https://rec/1" in final


async def test_revoked_session_on_update_is_401(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers)

    async def revoked(**kwargs: Any) -> None:
        return None

    env.connector.getAuthType = lambda **kwargs: "oauth"  # type: ignore[method-assign]
    env.connector.checkAndRefreshAccessToken = revoked  # type: ignore[attr-defined]
    response = await env.client.patch("/callLog", json={"sessionId": "s-1", "note": "x"}, headers=fake_headers)
    assert response.status_code == 401 and response.json()["errorCode"] == "CRM_SESSION_REVOKED"
