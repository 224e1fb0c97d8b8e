"""Call logs: format setting, create, read back, update, dispositions, direct edits."""

from __future__ import annotations

from typing import Any

import pytest

from composer.store import UserRecord
from connectors import CrmApiError
from connectors.local import LocalConnector

CONTACT = {"id": "100000000000001", "name": "Pat Customer", "phoneNumber": "+16505550100", "type": "Contact"}
PLAIN = (
    "- Note: Asked about renewal.\nCall back Friday.\n- Summary: Inbound call from Pat Customer\n"
    "- Duration: 1 minute, 35 seconds\n"
)
MARKDOWN = (
    "## Agent notes\nAsked about renewal.\nCall back Friday.\n\n## Call details\n**Duration**: 1 minute\n"
)
HTML = (
    "<b>Agent notes</b><br>Asked about renewal.<br>Call back &lt;Friday&gt;.<br><br><b>Call details</b><br>"
    "<li><b>Duration</b>: 1 minute</li>"
)


async def _log(connector: LocalConnector, user: UserRecord, body: str = PLAIN, **call: Any) -> str:
    result = await connector.createCallLog(
        user=user,
        contactInfo=CONTACT,
        authHeader="",
        callLog={"sessionId": "s-1", "direction": "Inbound", **call},
        note="Asked about renewal.",
        additionalSubmission=None,
        composedLogDetails=body,
        hashedAccountId="",
        isFromSSCL=False,
        proxyConfig=None,
    )
    assert result["returnMessage"] == {"message": "Call logged", "messageType": "success", "ttl": 2000}
    log_id: str = result["logId"]
    return log_id


def _existing(log_id: str) -> dict[str, Any]:
    return {
        "id": "tel-1",
        "sessionId": "s-1",
        "thirdPartyLogId": log_id,
        "platform": "local",
        "contactId": CONTACT["id"],
    }


def test_log_format_follows_the_user_setting(connector: LocalConnector, make_user: Any) -> None:
    assert connector.getLogFormatType() == "text/plain"
    assert connector.getLogFormatType(platform="local", proxyConfig=None) == "text/plain"
    assert connector.getLogFormatType(user=make_user()) == "text/plain"
    for fmt in ("text/plain", "text/html", "text/markdown"):
        assert connector.getLogFormatType(user=make_user(localLogFormat=fmt)) == fmt
    assert connector.getLogFormatType(user=make_user(localLogFormat="application/pdf")) == "text/plain"


@pytest.mark.parametrize(
    ("call", "subject"),
    [
        ({"direction": "Inbound"}, "Inbound call from Pat Customer"),
        ({"direction": "Outbound"}, "Outbound call to Pat Customer"),
        ({"direction": "Outbound", "customSubject": "Renewal chat"}, "Renewal chat"),
    ],
)
async def test_create_call_log_subject(
    connector: LocalConnector, user: UserRecord, call: dict[str, Any], subject: str
) -> None:
    log_id = await _log(connector, user, **call)
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["subject"] == subject


async def test_subject_falls_back_to_the_number(connector: LocalConnector, user: UserRecord) -> None:
    result = await connector.createCallLog(
        user=user,
        contactInfo={"id": "", "name": "", "phoneNumber": "+16505550177", "type": ""},
        callLog={"sessionId": "s-2", "direction": "Outbound"},
        composedLogDetails="- Summary: x\n",
    )
    [activity] = await connector.list_activities(user.id)
    assert activity.id == result["logId"]
    assert activity.subject == "Outbound call to +16505550177"


async def test_contact_name_comes_from_the_crm_when_not_given(
    connector: LocalConnector, user: UserRecord
) -> None:
    contact = await connector.create_contact(user.id, name="Ann Lee", phones=["+16505550100"])
    log = await connector.createCallLog(
        user=user,
        contactInfo={"id": contact.id, "name": "", "phoneNumber": "+16505550100", "type": ""},
        callLog={"sessionId": "s", "direction": "Inbound"},
        composedLogDetails="x",
    )
    info = (await connector.getCallLog(user=user, callLogId=log["logId"]))["callLogInfo"]
    assert info["subject"] == "Inbound call from Ann Lee"
    assert info["contactName"] == "Ann Lee"


@pytest.mark.parametrize(
    ("fmt", "body", "note"),
    [
        ("text/plain", PLAIN, "Asked about renewal.\nCall back Friday."),
        ("text/markdown", MARKDOWN, "Asked about renewal.\nCall back Friday."),
        ("text/html", HTML, "Asked about renewal.\nCall back <Friday>."),
        ("text/plain", "- Summary: no note here\n", ""),
        ("text/html", "<li><b>Summary</b>: no note</li>", ""),
    ],
)
async def test_get_call_log(
    connector: LocalConnector, make_user: Any, fmt: str, body: str, note: str
) -> None:
    user = make_user(localLogFormat=fmt)
    log_id = await _log(connector, user, body)
    result = await connector.getCallLog(
        user=user,
        telephonySessionId="tel-1",
        callLogId=log_id,
        contactId=CONTACT["id"],
        authHeader="",
        proxyConfig=None,
    )
    info = result["callLogInfo"]
    assert info["note"] == note
    assert info["fullBody"] == body
    assert info["contactName"] == "Pat Customer"
    assert info["dispositions"] == {}
    record = info["fullLogResponse"]
    assert record["id"] == log_id and record["body"] == body and record["format"] == fmt
    assert record["sessionId"] == "s-1" and record["contactId"] == CONTACT["id"]


async def test_plain_body_is_recorded_as_plain_even_for_html_users(
    connector: LocalConnector, make_user: Any
) -> None:
    user = make_user(localLogFormat="text/html")
    log_id = await _log(connector, user, PLAIN)
    activity = await connector.get_activity(user.id, log_id)
    assert activity is not None and activity.format == "text/plain"


async def test_update_call_log_replaces_the_body(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _log(connector, user)
    new_body = PLAIN + "- Call recording link: https://example.com/rec\n"
    result = await connector.updateCallLog(
        user=user,
        existingCallLog=_existing(log_id),
        authHeader="",
        recordingLink="https://example.com/rec",
        subject=None,
        note="Asked about renewal.",
        composedLogDetails=new_body,
        existingCallLogDetails=None,
        proxyConfig=None,
    )
    assert result == {
        "updatedNote": "Asked about renewal.",
        "returnMessage": {"message": "Call log updated.", "messageType": "success", "ttl": 2000},
    }
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["fullBody"] == new_body
    assert info["subject"] == "Inbound call from Pat Customer"
    assert info["fullLogResponse"]["updatedAt"] > info["fullLogResponse"]["createdAt"]


async def test_update_call_log_subject_and_empty_body(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _log(connector, user)
    result = await connector.updateCallLog(
        user=user, existingCallLog=_existing(log_id), subject="New subject"
    )
    assert result["updatedNote"] == ""
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["subject"] == "New subject"
    assert info["fullBody"] == PLAIN  # an empty composed body never erases the stored one


async def test_unknown_or_foreign_activity_is_a_404(
    connector: LocalConnector, user: UserRecord, other_user: UserRecord
) -> None:
    log_id = await _log(connector, user)
    for who, target in ((user, "999999999999999"), (other_user, log_id), (user, "")):
        with pytest.raises(CrmApiError) as update_error:
            await connector.updateCallLog(user=who, existingCallLog=_existing(target), composedLogDetails="x")
        assert update_error.value.status == 404 and update_error.value.message == "Activity not found"
        with pytest.raises(CrmApiError):
            await connector.getCallLog(user=who, callLogId=target)
        with pytest.raises(CrmApiError):
            await connector.upsertCallDisposition(
                user=who, existingCallLog=_existing(target), dispositions={}
            )
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["fullBody"] == PLAIN


async def test_existing_call_log_may_be_an_object(connector: LocalConnector, user: UserRecord) -> None:
    class Row:
        thirdPartyLogId = ""

    row = Row()
    row.thirdPartyLogId = await _log(connector, user)
    await connector.updateCallLog(user=user, existingCallLog=row, composedLogDetails="new")
    info = (await connector.getCallLog(user=user, callLogId=row.thirdPartyLogId))["callLogInfo"]
    assert info["fullBody"] == "new"


async def test_dispositions_are_merged(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _log(connector, user)
    result = await connector.upsertCallDisposition(
        user=user, existingCallLog=_existing(log_id), authHeader="", dispositions={"outcome": "Interested"}
    )
    assert result == {
        "logId": log_id,
        "returnMessage": {"message": "Disposition updated", "messageType": "success", "ttl": 2000},
    }
    await connector.upsertCallDisposition(
        user=user, existingCallLog=_existing(log_id), dispositions={"next": "Call"}
    )
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["dispositions"] == {"outcome": "Interested", "next": "Call"}


async def test_edit_activity_body_simulates_a_crm_edit(connector: LocalConnector, user: UserRecord) -> None:
    log_id = await _log(connector, user)
    edited = PLAIN + "Edited in CRM\n"
    view = await connector.edit_activity_body(user.id, log_id, edited)
    assert view.body == edited
    info = (await connector.getCallLog(user=user, callLogId=log_id))["callLogInfo"]
    assert info["fullBody"] == edited
    with pytest.raises(LookupError):
        await connector.edit_activity_body("someone-local", log_id, "x")
