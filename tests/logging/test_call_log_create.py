"""POST /callLog (http-api.md §10.3, §17 items 4-10): one CRM activity per call, whatever happens."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from composer.store import StoreError
from composer.store.call_logs import Reservation
from tests.fakes import FAKE_PLATFORM, Failure
from tests.logging.conftest import CONTACT_PHONE, Env, call_body

DUPLICATE = {
    "successful": False,
    "returnMessage": {"message": "Existing log for session s-1", "messageType": "warning", "ttl": 3000},
}


async def test_create_returns_the_crm_id_and_records_the_link(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.status_code == 200
    assert response.json() == {
        "successful": True,
        "logId": "1001",
        "returnMessage": {"message": "Call logged", "messageType": "success", "ttl": 2000},
    }
    assert await env.call_log_rows() == [{"session_id": "s-1", "state": "logged", "third_party_log_id": "1001"}]
    sent = env.connector.calls("createCallLog")[0]
    assert sent["contactInfo"] == {"id": "c-42", "phoneNumber": CONTACT_PHONE, "type": "Contact", "name": "Pat Doe"}
    assert sent["composedLogDetails"].startswith("- Note: Discussed renewal\n")
    assert sent["isFromSSCL"] is False
    assert sent["hashedAccountId"] == env.rt.hash(None)  # no rc-account-id header, no logInfo.accountId
    row = await env.rt.store.call_logs.find(
        platform=FAKE_PLATFORM, session_id="s-1", extension_number="", hashed_extension_id="hash-101"
    )
    assert row is not None and row.id == "tel-s-1" and row.contact_id == "c-42"


async def test_second_create_is_the_duplicate_answer_and_no_crm_call(env: Env, fake_headers: dict[str, str]) -> None:
    first = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    second = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert first.json()["successful"] is True
    assert second.status_code == 200 and second.json() == DUPLICATE
    assert env.crm.count("create") == 1


async def test_fifty_concurrent_creates_make_one_activity(
    env: Env, fake_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env.crm.delay = 0.2  # the winner is still talking to the CRM while the others arrive
    store = env.rt.store.call_logs
    real_reserve, real_create = store.reserve, env.connector.createCallLog
    reservations_during_create: list[int] = []
    reserve_calls = 0

    async def counting_reserve(**kwargs: Any) -> Any:
        nonlocal reserve_calls
        reserve_calls += 1
        return await real_reserve(**kwargs)

    async def observed_create(**kwargs: Any) -> Any:
        result = await real_create(**kwargs)
        reservations_during_create.append(reserve_calls)
        return result

    monkeypatch.setattr(store, "reserve", counting_reserve)
    monkeypatch.setattr(env.connector, "createCallLog", observed_create)
    responses = await asyncio.gather(
        *(env.client.post("/callLog", json=call_body(), headers=fake_headers) for _ in range(50))
    )
    assert reservations_during_create == [50]  # really concurrent: all 50 arrived during the CRM call
    answers = [r.json() for r in responses]
    assert all(r.status_code == 200 for r in responses)
    assert sum(a["successful"] for a in answers) == 1
    assert sum(a == DUPLICATE for a in answers) == 49
    assert env.crm.count("create") == 1 and len(env.crm.activities) == 1
    assert await env.call_log_rows() == [{"session_id": "s-1", "state": "logged", "third_party_log_id": "1001"}]


EXPECTED_FAILURES: list[tuple[Failure, str]] = [
    ("500", "Error creating call log"),
    ("429", "Rate limit exceeded"),
    ("404", "Authorization error"),
    ("timeout", "Error creating call log"),
    ("garbage", "Error creating call log"),
]


@pytest.mark.parametrize(("failure", "message"), EXPECTED_FAILURES)
async def test_crm_failure_releases_the_reservation_and_a_retry_succeeds_once(
    env: Env, fake_headers: dict[str, str], failure: Failure, message: str
) -> None:
    env.crm.fail_next("create", failure)
    failed = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert failed.status_code == 200
    answer = failed.json()
    assert answer["successful"] is False
    assert answer["returnMessage"]["message"] == message
    assert answer["returnMessage"]["messageType"] == "warning" and answer["returnMessage"]["ttl"] == 5000
    first_item = answer["returnMessage"]["details"][0]["items"][0]
    if message == "Error creating call log":
        assert first_item == {"id": 1, "type": "text", "text": "Please check if your account has permission to CREATE logs."}
    else:
        assert first_item["id"] == "1" and FAKE_PLATFORM in first_item["text"]
    assert await env.call_log_rows() == []

    retried = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert retried.json()["successful"] is True
    again = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert again.json() == DUPLICATE
    assert len(env.crm.activities) == 1


async def test_no_log_id_releases_and_passes_the_connector_message(env: Env, fake_headers: dict[str, str]) -> None:
    refusal = {"message": "Contact is archived", "messageType": "warning", "ttl": 3000}

    async def refuse(**kwargs: Any) -> dict[str, Any]:
        return {"logId": None, "returnMessage": refusal}

    env.connector.createCallLog = refuse  # type: ignore[method-assign]
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.json() == {"successful": False, "returnMessage": refusal}
    assert await env.call_log_rows() == []


@pytest.mark.parametrize("contact_id", ["", 0, "0", None])
async def test_missing_contact_is_reported_with_the_number(env: Env, fake_headers: dict[str, str], contact_id: Any) -> None:
    response = await env.client.post("/callLog", json=call_body(contactId=contact_id), headers=fake_headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": f"Contact not found for number {CONTACT_PHONE}", "messageType": "warning", "ttl": 5000},
    }
    assert await env.call_log_rows() == [] and env.crm.count("create") == 0


async def test_outbound_contact_number_is_the_callee(env: Env, fake_headers: dict[str, str]) -> None:
    body = call_body(contactId="")
    body["logInfo"]["direction"] = "Outbound"
    response = await env.client.post("/callLog", json=body, headers=fake_headers)
    assert response.json()["returnMessage"]["message"] == "Contact not found for number +14155550199"


async def test_missing_user_is_user_not_found(env: Env, fake_headers: dict[str, str]) -> None:
    await env.rt.store.db.execute("DELETE FROM users")
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": "User not found", "messageType": "warning", "ttl": 5000},
    }
    assert await env.call_log_rows() == []


async def test_sscl_create_then_client_create_with_the_hash_is_a_duplicate(env: Env, fake_headers: dict[str, str]) -> None:
    sscl = call_body(hashedExtensionId=None, rcExtensionId="777")
    created = await env.client.post("/callLog", json=sscl, headers={**fake_headers, "User-Agent": "SSCL"})
    assert created.json()["successful"] is True
    assert env.connector.calls("createCallLog")[0]["isFromSSCL"] is True
    client = call_body(hashedExtensionId=env.rt.hash("777"))
    assert (await env.client.post("/callLog", json=client, headers=fake_headers)).json() == DUPLICATE


async def test_two_extension_hashes_make_two_activities_and_get_picks_the_right_one(
    env: Env, fake_headers: dict[str, str]
) -> None:
    first = await env.client.post("/callLog", json=call_body(hashedExtensionId="H1"), headers=fake_headers)
    second = await env.client.post("/callLog", json=call_body(hashedExtensionId="H2"), headers=fake_headers)
    assert first.json()["logId"] != second.json()["logId"]
    found = await env.client.get("/callLog", params={"sessionIds": "s-1", "hashedExtensionId": "H2"}, headers=fake_headers)
    assert found.json()["logs"] == [{"sessionId": "s-1", "matched": True, "logId": second.json()["logId"]}]


async def test_same_session_on_another_platform_is_not_a_duplicate(env: Env, fake_headers: dict[str, str]) -> None:
    local_headers = await env.login("local", "local-key")
    contact_id = await env.local_contact(local_headers)
    on_fake = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    on_local = await env.client.post("/callLog", json=call_body(contactId=contact_id), headers=local_headers)
    assert on_fake.json()["successful"] is True and on_local.json()["successful"] is True


async def test_logInfo_identity_fields_are_the_fallback(env: Env, fake_headers: dict[str, str]) -> None:
    body = call_body(hashedExtensionId=None)
    body["logInfo"]["hashedExtensionId"] = "nested-hash"
    body["logInfo"]["extensionNumber"] = 101
    await env.client.post("/callLog", json=body, headers=fake_headers)
    row = await env.rt.store.db.fetch_one("SELECT extension_number, hashed_extension_id FROM call_logs")
    assert row == {"extension_number": "101", "hashed_extension_id": "nested-hash"}


async def test_expired_reservation_is_taken_over(env: Env, fake_headers: dict[str, str]) -> None:
    dead = await env.rt.store.call_logs.reserve(
        platform=FAKE_PLATFORM, session_id="s-1", extension_number="", hashed_extension_id="hash-101", hold_ms=-1
    )
    assert isinstance(dead, Reservation)
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.json()["successful"] is True


async def test_final_finalize_failure_keeps_the_reservation_and_logs_the_crm_id(
    env: Env, fake_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts = 0

    async def broken(*args: Any, **kwargs: Any) -> bool:
        nonlocal attempts
        attempts += 1
        raise StoreError("disk full")

    monkeypatch.setattr(env.rt.store.call_logs, "finalize", broken)
    with caplog.at_level(logging.ERROR):
        response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": "Database operation failed", "messageType": "warning", "ttl": 5000},
    }
    assert attempts == 3
    record = next(r for r in caplog.records if "CALL_LOG_FINALIZE_FAILED" in r.getMessage())
    assert "platform=fakecrm" in record.getMessage() and "sessionId=s-1" in record.getMessage()
    assert "thirdPartyLogId=1001" in record.getMessage()
    assert await env.call_log_rows() == [{"session_id": "s-1", "state": "pending", "third_party_log_id": None}]
    monkeypatch.undo()
    assert (await env.client.post("/callLog", json=call_body(), headers=fake_headers)).json() == DUPLICATE
    assert env.crm.count("create") == 1


async def test_revoked_crm_session_is_401_and_releases(env: Env, fake_headers: dict[str, str]) -> None:
    async def revoked(**kwargs: Any) -> None:
        return None

    env.connector.getAuthType = lambda **kwargs: "oauth"  # type: ignore[method-assign]
    env.connector.getOauthInfo = lambda **kwargs: {}  # type: ignore[attr-defined]
    env.connector.checkAndRefreshAccessToken = revoked  # type: ignore[attr-defined]
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert response.status_code == 401
    assert response.json()["errorCode"] == "CRM_SESSION_REVOKED"
    assert await env.call_log_rows() == []


async def test_without_a_session_jwt_nothing_happens(env: Env) -> None:
    response = await env.client.post("/callLog", json=call_body())
    assert response.status_code == 400
    assert response.json()["returnMessage"]["message"] == "Please go to Settings and authorize CRM platform"
    assert await env.call_log_rows() == []


@pytest.mark.parametrize("log_format", ["text/html"])
async def test_html_connectors_get_an_html_body(env: Env, fake_headers: dict[str, str]) -> None:
    await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert "<b>Agent notes</b>" in env.connector.calls("createCallLog")[0]["composedLogDetails"]


@pytest.mark.parametrize("log_format", ["application/vnd.custom"])
async def test_connectors_composing_their_own_body_get_an_empty_one(env: Env, fake_headers: dict[str, str]) -> None:
    await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    assert env.connector.calls("createCallLog")[0]["composedLogDetails"] == ""
