"""Message logs: one activity per conversation per day, later messages appended, in each format."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from composer.store import UserRecord
from connectors import CrmApiError
from connectors.local import LocalConnector

CONTACT = {"id": "100000000000001", "name": "Pat <O'Neil>", "phoneNumber": "+16505550100", "type": "Contact"}
SIGNATURE = "--- Created via RingCentral App Connect"


def _sms(
    text: str, *, direction: str = "Inbound", at: str = "2024-03-05T14:07:09.000Z", **extra: Any
) -> dict[str, Any]:
    return {
        "id": f"m-{text}",
        "type": "SMS",
        "direction": direction,
        "from": {"phoneNumber": "+16505550100"},
        "to": [{"phoneNumber": "+16505550199"}],
        "subject": text,
        "creationTime": at,
        "attachments": [],
        **extra,
    }


async def _create(connector: LocalConnector, user: UserRecord, message: dict[str, Any], **links: Any) -> str:
    result = await connector.createMessageLog(
        user=user,
        contactInfo=CONTACT,
        correspondents=[],
        assigneeName="",
        ownerName="",
        authHeader="",
        message=message,
        additionalSubmission=None,
        proxyConfig=None,
        hashedAccountId="",
        **links,
    )
    assert result["returnMessage"] == {"message": "Message logged", "messageType": "success", "ttl": 1000}
    log_id: str = result["logId"]
    return log_id


async def _append(
    connector: LocalConnector, user: UserRecord, log_id: str, message: dict[str, Any], **links: Any
) -> None:
    result = await connector.updateMessageLog(
        user=user,
        contactInfo=CONTACT,
        assigneeName="",
        ownerName="",
        existingMessageLog={
            "id": "m",
            "conversationLogId": "c-2024-03-05",
            "thirdPartyLogId": log_id,
            "platform": "local",
        },
        message=message,
        authHeader="",
        additionalSubmission=None,
        proxyConfig=None,
        **links,
    )
    assert result == {
        "returnMessage": {"message": "Message log updated", "messageType": "success", "ttl": 3000}
    }


@pytest.mark.parametrize("fmt", ["text/plain", "text/markdown"])
async def test_text_conversation(connector: LocalConnector, make_user: Any, fmt: str) -> None:
    user = make_user(localLogFormat=fmt)
    user.timezoneOffset = "-05:00"
    log_id = await _create(connector, user, _sms("Hi <there>"))
    await _append(
        connector, user, log_id, _sms("On my way", direction="Outbound", at="2024-03-05T14:09:00.000Z")
    )
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None
    assert (activity.kind, activity.format, activity.contact_id) == ("sms", fmt, CONTACT["id"])
    assert activity.subject == "SMS conversation with Pat <O'Neil> - 24/03/05"
    me = f"Local user {user.id[:4]}"
    assert activity.body == (
        "\nConversation summary\nTuesday, March 05, 2024\nParticipants\n"
        f"    {me}\n    Pat <O'Neil>\n\nConversation(2 messages)\nBEGIN\n------------\n"
        "Pat <O'Neil> (+16505550100) 09:07 AM\nHi <there>\n\n"
        f"{me} 09:09 AM\nOn my way\n\n"
        f"------------\nEND\n\n{SIGNATURE}"
    )


async def test_html_conversation(connector: LocalConnector, make_user: Any) -> None:
    user = make_user(localLogFormat="text/html")
    log_id = await _create(connector, user, _sms("Hi <there>"))
    await _append(connector, user, log_id, _sms("Second"))
    await _append(connector, user, log_id, _sms("Photo", direction="Outbound"), imageLink="https://media/1")
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None and activity.format == "text/html"
    body = activity.body
    assert "<br>Conversation(3 messages)<br>" in body
    assert "<li>Pat &lt;O&#039;Neil&gt; (+16505550100) 02:07 PM<br><b>Hi &lt;there&gt;</b></li>" in body
    assert (
        body.index("Hi &lt;there&gt;")
        < body.index("Second")
        < body.index("[Message]: Photo<br>[Link]: https://media/1")
    )
    assert body.endswith(f"</ul>------------<br>END<br><br>{SIGNATURE}")


async def test_voicemail_and_fax_are_their_own_activities(
    connector: LocalConnector, user: UserRecord
) -> None:
    voicemail = await _create(connector, user, _sms("", type="VoiceMail"), recordingLink="https://rec/1")
    fax = await _create(
        connector, user, _sms("", type="Fax"), faxDocLink="https://fax/1", faxDownloadLink="https://dl"
    )
    mms = await _create(connector, user, _sms("look", type="MMS"), imageLink="https://media/2")
    by_id = {a.id: a for a in await connector.list_activities(user.id)}
    assert by_id[voicemail].kind == "voicemail"
    assert by_id[voicemail].subject == "Voicemail left by Pat <O'Neil> - 24/03/05"
    assert by_id[voicemail].body == f"Voicemail recording link: https://rec/1 \n\n{SIGNATURE}"
    assert by_id[fax].kind == "fax"
    assert by_id[fax].body == f"Fax document link: https://fax/1 \n\n{SIGNATURE}"
    assert by_id[mms].kind == "sms"
    assert "[Message]: look\n[Link]: https://media/2" in by_id[mms].body


async def test_group_sms_lists_the_other_correspondents(connector: LocalConnector, user: UserRecord) -> None:
    result = await connector.createMessageLog(
        user=user,
        contactInfo=CONTACT,
        correspondents=[[{"id": "2", "name": "Bob Stone"}], [], [{"id": "3"}]],
        message=_sms("hi all"),
    )
    activity = await connector.get_activity(user.id, result["logId"])
    assert activity is not None
    assert (
        "    Pat <O'Neil>\n    Bob Stone\n    Unknown\n    Unknown\nConversation(1 messages)" in activity.body
    )


async def test_missing_or_unreadable_time_uses_the_clock(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _create(connector, user, _sms("no time", at=""))
    await _append(connector, user, log_id, _sms("bad time", at="yesterday-ish"))
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None
    assert activity.subject == "SMS conversation with Pat <O'Neil> - 24/03/05"
    assert "02:00 PM\nno time" in activity.body and "02:00 PM\nbad time" in activity.body


async def test_contact_name_falls_back_to_the_crm(connector: LocalConnector, user: UserRecord) -> None:
    contact = await connector.create_contact(user.id, name="Ann Lee", phones=["+16505550100"])
    result = await connector.createMessageLog(
        user=user,
        contactInfo={"id": contact.id, "name": "", "phoneNumber": "+16505550100"},
        message=_sms("x"),
    )
    activity = await connector.get_activity(user.id, result["logId"])
    assert activity is not None and activity.subject.startswith("SMS conversation with Ann Lee")
    assert activity.contact_name == "Ann Lee"


async def test_concurrent_appends_lose_nothing(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _create(connector, user, _sms("first"))
    texts = [f"message {n}" for n in range(8)]
    await asyncio.gather(*(_append(connector, user, log_id, _sms(text)) for text in texts))
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None
    assert "Conversation(9 messages)" in activity.body
    assert all(f"\n{text}\n" in activity.body for text in texts)


async def test_shared_sms_is_replaced_wholesale(connector: LocalConnector, make_user: Any) -> None:
    user = make_user(localLogFormat="text/markdown")
    result = await connector.createMessageLog(
        user=user,
        contactInfo=CONTACT,
        sharedSMSLogContent={
            "subject": "**SMS conversation with Pat**",
            "body": "## Conversation summary\nv1",
        },
        authHeader="",
        additionalSubmission=None,
        proxyConfig=None,
        hashedAccountId="",
    )
    log_id = result["logId"]
    await connector.updateMessageLog(
        user=user,
        contactInfo=CONTACT,
        sharedSMSLogContent={
            "subject": "**SMS conversation with Pat**",
            "body": "## Conversation summary\nv2",
        },
        existingMessageLog={"thirdPartyLogId": log_id},
    )
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None
    assert (activity.kind, activity.format) == ("sms", "text/markdown")
    assert activity.subject == "**SMS conversation with Pat**"
    assert activity.body == "## Conversation summary\nv2"


async def test_unknown_or_foreign_message_log_is_a_404(
    connector: LocalConnector, user: UserRecord, other_user: UserRecord
) -> None:
    log_id = await _create(connector, user, _sms("mine"))
    for who, target in ((user, "999999999999999"), (other_user, log_id)):
        with pytest.raises(CrmApiError) as error:
            await _append(connector, who, target, _sms("intruder"))
        assert error.value.status == 404
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None and "intruder" not in activity.body
    assert await connector.list_activities(other_user.id) == []
