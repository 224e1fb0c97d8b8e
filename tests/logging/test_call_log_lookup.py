"""GET /callLog, PUT /callDisposition, POST /callLog/cacheNote (http-api.md §10.5-§10.7)."""

from __future__ import annotations

from typing import Any

from tests.fakes import FAKE_PLATFORM
from tests.logging.conftest import Env, call_body


async def _create(env: Env, headers: dict[str, str], session_id: str, **overrides: Any) -> str:
    response = await env.client.post("/callLog", json=call_body(session_id, **overrides), headers=headers)
    assert response.json()["successful"] is True, response.text
    log_id: str = response.json()["logId"]
    return log_id


# --------------------------------------------------------------------------- GET /callLog


async def test_seven_ids_give_five_entries_in_request_order(env: Env, fake_headers: dict[str, str]) -> None:
    a = await _create(env, fake_headers, "a")
    c = await _create(env, fake_headers, "c")
    await env.rt.store.call_logs.reserve(  # being created right now: not a match yet
        platform=FAKE_PLATFORM, session_id="d", extension_number="", hashed_extension_id="hash-101"
    )
    response = await env.client.get(
        "/callLog", params={"sessionIds": "c,b,a,d,a,e,f", "hashedExtensionId": "hash-101"}, headers=fake_headers
    )
    assert response.json() == {
        "successful": True,
        "logs": [
            {"sessionId": "c", "matched": True, "logId": c},
            {"sessionId": "b", "matched": False},
            {"sessionId": "a", "matched": True, "logId": a},
            {"sessionId": "d", "matched": False},
            {"sessionId": "a", "matched": True, "logId": a},
        ],
        "returnMessage": None,
    }


async def test_require_details_reads_each_match_and_skips_zero(env: Env, fake_headers: dict[str, str]) -> None:
    a = await _create(env, fake_headers, "a")
    await _create(env, fake_headers, "0")
    response = await env.client.get(
        "/callLog", params={"sessionIds": "0,a", "requireDetails": "true"}, headers=fake_headers
    )
    logs = response.json()["logs"]
    assert logs[0] == {"sessionId": "0", "matched": False}
    assert logs[1]["logId"] == a and logs[1]["logData"]["fullLogResponse"]["id"] == a
    assert len(env.connector.calls("getCallLog")) == 1


async def test_require_details_failure_is_the_get_message_with_logs(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers, "a")
    env.crm.fail_next("read", "500")
    response = await env.client.get("/callLog", params={"sessionIds": "a", "requireDetails": "true"}, headers=fake_headers)
    answer = response.json()
    assert answer["successful"] is False and answer["logs"] == []
    assert answer["returnMessage"]["message"] == "Error getting call log"


async def test_missing_session_ids_or_user(env: Env, fake_headers: dict[str, str]) -> None:
    assert (await env.client.get("/callLog", headers=fake_headers)).json() == {"successful": False, "logs": []}
    await env.rt.store.db.execute("DELETE FROM users")
    response = await env.client.get("/callLog", params={"sessionIds": "a"}, headers=fake_headers)
    assert response.json() == {"successful": False, "logs": []}


async def test_get_without_jwt_is_noauth(env: Env) -> None:
    response = await env.client.get("/callLog", params={"sessionIds": "a"})
    assert response.status_code == 400
    assert response.json()["error"] == "Please go to Settings and authorize CRM platform"


async def test_legacy_rows_match_by_extension_number(env: Env, fake_headers: dict[str, str]) -> None:
    legacy = await _create(env, fake_headers, "a", hashedExtensionId=None, extensionNumber="101")
    response = await env.client.get(
        "/callLog", params={"sessionIds": "a", "extensionNumber": "101", "hashedExtensionId": "new-hash"}, headers=fake_headers
    )
    assert response.json()["logs"] == [{"sessionId": "a", "matched": True, "logId": legacy}]
    other = await env.client.get("/callLog", params={"sessionIds": "a", "extensionNumber": "102"}, headers=fake_headers)
    assert other.json()["logs"] == [{"sessionId": "a", "matched": False}]


# --------------------------------------------------------------------------- PUT /callDisposition


async def test_disposition_is_upserted_on_the_activity(env: Env, fake_headers: dict[str, str]) -> None:
    log_id = await _create(env, fake_headers, "a")
    body = {"sessionId": "a", "hashedExtensionId": "hash-101", "dispositions": {"outcome": "Sale"}, "additionalSubmission": {"x": 1}}
    response = await env.client.put("/callDisposition", json=body, headers=fake_headers)
    assert response.json() == {
        "successful": True,
        "returnMessage": {"message": "Disposition saved", "messageType": "success", "ttl": 2000},
    }
    assert env.crm.activities[log_id]["dispositions"] == {"outcome": "Sale"}
    sent = env.connector.calls("upsertCallDisposition")[0]
    assert sent["existingCallLog"]["thirdPartyLogId"] == log_id and "additionalSubmission" not in sent


async def test_disposition_without_a_log_or_user(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.put("/callDisposition", json={"sessionId": "zz", "dispositions": {}}, headers=fake_headers)
    assert response.json() == {
        "successful": False,
        "returnMessage": {"message": "Cannot find log", "messageType": "warning", "ttl": 3000},
    }
    await _create(env, fake_headers, "a")
    await env.rt.store.db.execute("DELETE FROM users")
    response = await env.client.put("/callDisposition", json={"sessionId": "a", "dispositions": {}}, headers=fake_headers)
    assert response.json()["returnMessage"] == {"message": "Cannot find user", "messageType": "warning", "ttl": 3000}


async def test_disposition_with_a_garbage_jwt_is_badjwt(env: Env) -> None:
    response = await env.client.put(
        "/callDisposition", json={"sessionId": "a"}, headers={"Authorization": "Bearer not.a.jwt"}
    )
    assert response.status_code == 400 and response.json()["error"] == "Invalid JWT token"


async def test_disposition_crm_failure_and_missing_interface(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers, "a")
    env.crm.fail_next("dispositions", "429")
    response = await env.client.put("/callDisposition", json={"sessionId": "a", "dispositions": {}}, headers=fake_headers)
    assert response.status_code == 200 and response.json()["returnMessage"]["message"] == "Rate limit exceeded"
    env.connector.upsertCallDisposition = None  # type: ignore[assignment,method-assign]
    response = await env.client.put("/callDisposition", json={"sessionId": "a", "dispositions": {}}, headers=fake_headers)
    assert response.json()["returnMessage"]["message"] == "Error performing upsertCallDisposition"


# --------------------------------------------------------------------------- cacheNote + SSCL


async def test_cached_note_replaces_the_note_of_a_server_side_create(env: Env, fake_headers: dict[str, str]) -> None:
    hashed = env.rt.hash("777")
    cached = await env.client.post(
        "/callLog/cacheNote", json={"sessionId": "s-1", "note": "Typed during the call"},
        headers={**fake_headers, "rc-extension-id": hashed},
    )
    assert cached.json() == {"successful": True, "returnMessage": "Note cache saved"}
    sscl = call_body(hashedExtensionId=None, rcExtensionId="777", note="Note sent by SSCL")
    response = await env.client.post("/callLog", json=sscl, headers={**fake_headers, "User-Agent": "SSCL"})
    assert response.json()["successful"] is True
    sent = env.connector.calls("createCallLog")[0]
    assert sent["note"] == "Typed during the call"
    assert "Typed during the call" in sent["composedLogDetails"] and "Note sent by SSCL" not in sent["composedLogDetails"]
    stored = await env.rt.store.db.fetch_one("SELECT note FROM note_cache")
    assert stored is not None and "Typed during the call" not in stored["note"]  # encrypted at rest


async def test_cached_note_falls_back_to_the_unscoped_entry(env: Env, fake_headers: dict[str, str]) -> None:
    await env.client.post("/callLog/cacheNote", json={"sessionId": "s-1", "note": "Unscoped"}, headers=fake_headers)
    sscl = call_body(hashedExtensionId=None, rcExtensionId="777", note="From SSCL")
    await env.client.post("/callLog", json=sscl, headers={**fake_headers, "User-Agent": "SSCL"})
    assert env.connector.calls("createCallLog")[0]["note"] == "Unscoped"


async def test_cached_note_is_ignored_by_the_browser_client(env: Env, fake_headers: dict[str, str]) -> None:
    await env.client.post("/callLog/cacheNote", json={"sessionId": "s-1", "note": "Cached"}, headers=fake_headers)
    await env.client.post("/callLog", json=call_body(note="Client note"), headers=fake_headers)
    assert env.connector.calls("createCallLog")[0]["note"] == "Client note"


async def test_another_agents_cached_note_is_not_used(env: Env, fake_headers: dict[str, str]) -> None:
    await env.client.post(
        "/callLog/cacheNote", json={"sessionId": "s-1", "note": "Agent B"}, headers={**fake_headers, "rc-extension-id": "B"}
    )
    sscl = call_body(hashedExtensionId=None, rcExtensionId="777", note="From SSCL")
    await env.client.post("/callLog", json=sscl, headers={**fake_headers, "User-Agent": "SSCL"})
    assert env.connector.calls("createCallLog")[0]["note"] == "From SSCL"


async def test_cache_note_without_jwt_is_noauth(env: Env) -> None:
    response = await env.client.post("/callLog/cacheNote", json={"sessionId": "s-1", "note": "n"})
    assert response.status_code == 400
    assert response.json()["returnMessage"]["message"] == "Please go to Settings and authorize CRM platform"


async def test_require_details_with_a_revoked_session_is_401(env: Env, fake_headers: dict[str, str]) -> None:
    await _create(env, fake_headers, "a")

    async def revoked(**kwargs: Any) -> None:
        return None

    env.connector.getAuthType = lambda **kwargs: "oauth"  # type: ignore[method-assign]
    env.connector.checkAndRefreshAccessToken = revoked  # type: ignore[attr-defined]
    details = await env.client.get("/callLog", params={"sessionIds": "a", "requireDetails": "true"}, headers=fake_headers)
    assert details.status_code == 401
    plain = await env.client.get("/callLog", params={"sessionIds": "a"}, headers=fake_headers)
    assert plain.status_code == 200 and plain.json()["logs"][0]["matched"] is True  # no CRM call, no credentials
    disposition = await env.client.put("/callDisposition", json={"sessionId": "a", "dispositions": {}}, headers=fake_headers)
    assert disposition.status_code == 401
