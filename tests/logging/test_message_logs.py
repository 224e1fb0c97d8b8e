"""POST /messageLog (http-api.md §11, §17 item 16): every message kind, once, in order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from composer.services.message_media import MEDIA_READER
from tests.fakes import FAKE_PLATFORM
from tests.logging.conftest import AGENT_PHONE, CONTACT_PHONE, Env, message_body, sms

DAY = "2024-01-15T"


async def _post(env: Env, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await env.client.post("/messageLog", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_reference_e2e_sequence(env: Env, fake_headers: dict[str, str]) -> None:
    inbound = sms(6424569101, "Hi, can we talk?", DAY + "10:00:00.000Z")
    outbound = sms(6424569102, "Sure, calling you now", DAY + "10:05:00.000Z", direction="Outbound")
    first = await _post(env, fake_headers, message_body([inbound]))
    assert first == {
        "successful": True,
        "logIds": ["6424569101"],
        "returnMessage": {"message": "Message logged", "messageType": "success", "ttl": 2000},
    }
    second = await _post(env, fake_headers, message_body([outbound, inbound]))
    assert second["successful"] is True and second["logIds"] == ["6424569102"]
    assert second["returnMessage"] is None  # updateMessageLog answered nothing (tolerated, §16.12)
    rows = await env.rt.store.message_logs.messages_of(
        platform=FAKE_PLATFORM, user_id="key-1-fakecrm", conversation_log_id="conv-1-2024-01-15"
    )
    assert [(r["id"], r["state"]) for r in rows] == [("6424569101", "logged"), ("6424569102", "logged")]
    assert len({r["third_party_log_id"] for r in rows}) == 1
    assert env.crm.count("create") == 1 and env.crm.count("update") == 1
    assert (await _post(env, fake_headers, message_body([outbound, inbound]))) == {
        "successful": True,
        "logIds": [],
        "returnMessage": None,
    }


async def test_messages_are_written_oldest_first(env: Env, fake_headers: dict[str, str]) -> None:
    newest_first = [sms(3, "three", DAY + "10:03:00Z"), sms(2, "two", DAY + "10:02:00Z"), sms(1, "one", DAY + "10:01:00Z")]
    answer = await _post(env, fake_headers, message_body(newest_first))
    assert answer["logIds"] == ["1", "2", "3"]
    (activity,) = env.crm.activities.values()
    assert activity["body"] == "1:one\n2:two\n3:three\n"


async def test_two_days_make_two_activities(env: Env, fake_headers: dict[str, str]) -> None:
    await _post(env, fake_headers, message_body([sms(1, "monday", DAY + "10:00:00Z")], day="2024-01-15"))
    await _post(env, fake_headers, message_body([sms(2, "tuesday", "2024-01-16T10:00:00Z")], day="2024-01-16"))
    assert sorted(a["body"] for a in env.crm.activities.values()) == ["1:monday\n", "2:tuesday\n"]


async def test_concurrent_identical_posts_append_each_message_once(env: Env, fake_headers: dict[str, str]) -> None:
    env.crm.delay = 0.05
    body = message_body([sms(3, "three", DAY + "10:03:00Z"), sms(2, "two", DAY + "10:02:00Z"), sms(1, "one", DAY + "10:01:00Z")])
    answers = await asyncio.gather(*(_post(env, fake_headers, body) for _ in range(10)))
    assert all(a["successful"] for a in answers)
    assert sorted(i for a in answers for i in a["logIds"]) == ["1", "2", "3"]
    assert env.crm.count("create") == 1 and env.crm.count("update") == 2
    (activity,) = env.crm.activities.values()
    assert activity["body"] == "1:one\n2:two\n3:three\n"


async def test_concurrent_posts_of_different_messages_share_one_activity(env: Env, fake_headers: dict[str, str]) -> None:
    env.crm.delay = 0.05
    bodies = [message_body([sms(i, f"m{i}", DAY + f"10:0{i}:00Z")]) for i in range(1, 5)]
    answers = await asyncio.gather(*(_post(env, fake_headers, b) for b in bodies))
    assert sorted(i for a in answers for i in a["logIds"]) == ["1", "2", "3", "4"]
    assert env.crm.count("create") == 1 and len(env.crm.activities) == 1
    (activity,) = env.crm.activities.values()
    assert sorted(activity["body"].splitlines()) == ["1:m1", "2:m2", "3:m3", "4:m4"]


async def test_no_messages_and_missing_contact(env: Env, fake_headers: dict[str, str]) -> None:
    assert await _post(env, fake_headers, message_body([])) == {
        "successful": False,
        "returnMessage": {"message": "No message to log.", "messageType": "warning", "ttl": 3000},
    }
    answer = await _post(env, fake_headers, message_body([sms(1, "x", DAY + "10:00:00Z")], contactId=""))
    assert answer["returnMessage"]["message"] == f"Contact not found for number {CONTACT_PHONE}"
    await env.rt.store.db.execute("DELETE FROM users")
    answer = await _post(env, fake_headers, message_body([sms(1, "x", DAY + "10:00:00Z")]))
    assert answer["returnMessage"] == {"message": "Contact not found", "messageType": "warning", "ttl": 5000}
    assert env.crm.requests == []


@pytest.mark.parametrize("failure", ["500", "timeout", "garbage"])
async def test_crm_failure_releases_everything_and_a_retry_logs_once(
    env: Env, fake_headers: dict[str, str], failure: Any
) -> None:
    body = message_body([sms(2, "two", DAY + "10:02:00Z"), sms(1, "one", DAY + "10:01:00Z")])
    env.crm.fail_next("create", failure)
    answer = await _post(env, fake_headers, body)
    assert answer["successful"] is False
    assert answer["returnMessage"]["message"] == "Error creating message log"
    for table in ("message_logs", "message_log_conversations"):
        assert await env.rt.store.db.fetch_all(f"SELECT * FROM {table}") == []
    retried = await _post(env, fake_headers, body)
    assert retried["logIds"] == ["1", "2"]
    (activity,) = env.crm.activities.values()
    assert activity["body"] == "1:one\n2:two\n"


async def test_failure_appending_keeps_what_was_logged(env: Env, fake_headers: dict[str, str]) -> None:
    env.crm.fail_next("update", "429")
    body = message_body([sms(2, "two", DAY + "10:02:00Z"), sms(1, "one", DAY + "10:01:00Z")])
    answer = await _post(env, fake_headers, body)
    assert answer["returnMessage"]["message"] == "Rate limit exceeded"
    retried = await _post(env, fake_headers, body)
    assert retried["logIds"] == ["2"]
    (activity,) = env.crm.activities.values()
    assert activity["body"] == "1:one\n2:two\n"


async def test_group_sms(env: Env, fake_headers: dict[str, str]) -> None:
    other = "+16505550111"
    await env.rt.store.contacts.put(
        platform=FAKE_PLATFORM, user_id="key-1-fakecrm", phone_number=other, lookup_key="|",
        contacts=[{"id": "c-7", "name": "Robin Roe"}],
    )
    body = message_body([sms(9, "hello all", DAY + "10:00:00Z")])
    body["logInfo"]["correspondents"].append({"phoneNumber": other})
    answer = await _post(env, fake_headers, body)
    assert answer["logIds"] == ["9"]
    sent = env.connector.calls("createMessageLog")[0]
    assert sent["correspondents"] == [[{"id": "c-7", "name": "Robin Roe"}]]
    rows = await env.rt.store.db.fetch_all("SELECT id, conversation_id, conversation_log_id FROM message_logs")
    assert rows == [{"id": "9-c-42", "conversation_id": "conv-1-c-42", "conversation_log_id": "conv-1-2024-01-15-c-42"}]
    # The same message logged for another contact of the group is another row and activity.
    again = await _post(env, fake_headers, {**body, "contactId": "c-7", "contactName": "Robin Roe"})
    assert again["logIds"] == ["9"] and len(env.crm.activities) == 2


async def test_shared_sms_is_one_conversation_rendered_whole(env: Env, fake_headers: dict[str, str]) -> None:
    def shared(messages: list[dict[str, Any]]) -> dict[str, Any]:
        body = message_body(messages, contactName="Pat O'Neil")
        body["logInfo"].update(
            {
                "owner": {"name": "Sales Queue", "extensionType": "Department"},
                "creationTime": DAY + "10:30:00Z",
                "entities": [
                    {"recordType": "AliveMessage", "direction": "Inbound", "text": "Need help", "creationTime": DAY + "10:30:00Z"},
                ],
            }
        )
        return body

    first = await _post(env, fake_headers, shared([sms(1, "Need help", DAY + "10:30:00Z")]))
    assert first["logIds"] == ["conv-1-2024-01-15"]
    created = env.connector.calls("createMessageLog")[0]
    assert created["sharedSMSLogContent"]["subject"] == "SMS conversation with Pat O'Neil"
    assert "Receiving call queue: Sales Queue" in created["sharedSMSLogContent"]["body"]
    assert "message" not in created
    second = await _post(env, fake_headers, shared([sms(2, "On it", DAY + "10:35:00Z"), sms(1, "Need help", DAY + "10:30:00Z")]))
    assert second["logIds"] == []
    updated = env.connector.calls("updateMessageLog")[0]
    assert updated["existingMessageLog"]["thirdPartyLogId"] == next(iter(env.crm.activities))
    assert updated["sharedSMSLogContent"]["body"] != created["sharedSMSLogContent"]["body"]  # re-rendered
    assert env.crm.count("create") == 1 and env.crm.count("update") == 1
    scopes = await env.rt.store.db.fetch_all("SELECT scope, state FROM message_log_conversations")
    assert scopes == [{"scope": "", "state": "logged"}]
    assert await env.rt.store.db.fetch_all("SELECT id FROM message_logs") == []


async def test_voicemail_fax_and_mms_media_links(env: Env, fake_headers: dict[str, str]) -> None:
    token = "rc-secret-token-123"
    voicemail = sms(
        11, "Voice Message", DAY + "09:00:00Z", type="VoiceMail",
        attachments=[{"id": "a1", "type": "AudioRecording", "uri": "https://media/vm/11", "link": "https://app/vm/11", "contentType": "audio/mpeg"}],
    )
    fax = sms(
        12, "Fax", DAY + "09:10:00Z", type="Fax", faxPageCount=2,
        attachments=[{"id": "a2", "type": "RenderedDocument", "uri": "https://media/fax/12", "link": "https://app/fax/12", "contentType": "application/pdf"}],
    )
    mms = sms(
        13, "look", DAY + "09:20:00Z", type="MMS",
        attachments=[
            {"id": "a3", "type": "MmsAttachment", "uri": "https://media/img/13?x=1&y=2", "contentType": "image/png"},
            {"id": "a4", "type": "MmsAttachment", "uri": "https://media/vid/13", "contentType": "video/mp4"},
        ],
    )
    body = message_body([mms, fax, voicemail])
    body["logInfo"]["rcAccessToken"] = token
    answer = await _post(env, fake_headers, body)
    assert answer["logIds"] == ["11", "12", "13"]
    created = env.connector.calls("createMessageLog")[0]
    assert created["recordingLink"] == "https://app/vm/11" and created["faxDocLink"] is None
    fax_call, mms_call = env.connector.calls("updateMessageLog")
    assert fax_call["message"]["id"] == 12
    mms_sent = mms_call
    assert mms_sent["message"]["id"] == 13
    assert mms_sent["imageLink"] == MEDIA_READER + "https%3A%2F%2Fmedia%2Fimg%2F13%3Fx%3D1%26y%3D2"
    assert mms_sent["imageDownloadLink"] == f"https://media/img/13?x=1&y=2?access_token={token}"
    assert mms_sent["imageContentType"] == "image/png"
    assert mms_sent["videoLink"] == MEDIA_READER + "https%3A%2F%2Fmedia%2Fvid%2F13"
    # The token is used for links only: never stored.
    for table in ("message_logs", "message_log_conversations", "call_logs", "users"):
        for row in await env.rt.store.db.fetch_all(f"SELECT * FROM {table}"):
            assert token not in str(row)


async def test_fax_as_first_message_gets_fax_links(env: Env, fake_headers: dict[str, str]) -> None:
    fax = sms(
        12, "Fax", DAY + "09:10:00Z", type="Fax",
        attachments=[{"id": "a2", "type": "RenderedDocument", "uri": "https://media/fax/12", "link": "https://app/fax/12"}],
    )
    body = message_body([fax])
    body["logInfo"]["rcAccessToken"] = "tok"
    await _post(env, fake_headers, body)
    created = env.connector.calls("createMessageLog")[0]
    assert created["faxDocLink"] == "https://app/fax/12"
    assert created["faxDownloadLink"] == "https://media/fax/12?access_token=tok"
    assert created["recordingLink"] is None


async def test_local_crm_conversation_in_two_posts(env: Env, local_headers: dict[str, str]) -> None:
    contact_id = await env.local_contact(local_headers)
    first = message_body([sms(1, "Hello", DAY + "10:00:00Z")], contactId=contact_id)
    second = message_body([sms(2, "Bye", DAY + "10:05:00Z", direction="Outbound"), sms(1, "Hello", DAY + "10:00:00Z")], contactId=contact_id)
    assert (await _post(env, local_headers, first))["logIds"] == ["1"]
    assert (await _post(env, local_headers, second))["logIds"] == ["2"]
    activities = (await env.client.get("/local/activities", headers=local_headers)).json()["activities"]
    (conversation,) = [a for a in activities if a["kind"] == "sms"]
    assert conversation["body"].index("Hello") < conversation["body"].index("Bye")
    assert AGENT_PHONE not in conversation["subject"]


async def test_revoked_crm_session_is_401_and_writes_nothing(env: Env, fake_headers: dict[str, str]) -> None:
    async def revoked(**kwargs: Any) -> None:
        return None

    env.connector.getAuthType = lambda **kwargs: "oauth"  # type: ignore[method-assign]
    env.connector.checkAndRefreshAccessToken = revoked  # type: ignore[attr-defined]
    response = await env.client.post("/messageLog", json=message_body([sms(1, "x", DAY + "10:00:00Z")]), headers=fake_headers)
    assert response.status_code == 401 and response.json()["errorCode"] == "CRM_SESSION_REVOKED"
    assert await env.rt.store.db.fetch_all("SELECT id FROM message_logs") == []
