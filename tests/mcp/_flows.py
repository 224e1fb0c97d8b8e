"""Tool conversations shared by the HTTP and stdio tests: what an agent does, step by step."""

from __future__ import annotations

from typing import Any

from mcp.client import Client
from mcp_types import CallToolResult

from mcp_server import TOOL_NAMES

PHONE = "+16505550142"
SESSION = "mcp-session-1"

CALL = {
    "sessionId": SESSION,
    "id": "rc-call-1",
    "direction": "Inbound",
    "from": {"phoneNumber": PHONE, "name": "Dana Reyes"},
    "to": {"phoneNumber": "+16505550100", "name": "Agent"},
    "startTime": "2026-03-02T15:04:05.000Z",
    "duration": 125,
    "result": "Call connected",
}

CONVERSATION = {
    "conversationId": "conv-7",
    "conversationLogId": "conv-7-2026-03-02",
    "correspondents": [{"phoneNumber": PHONE, "name": "Dana Reyes"}],
    "messages": [
        {
            "id": "sms-2",
            "direction": "Outbound",
            "subject": "See you at 3",
            "creationTime": "2026-03-02T15:10:00.000Z",
            "from": {"phoneNumber": "+16505550100"},
            "to": [{"phoneNumber": PHONE}],
            "type": "SMS",
        },
        {
            "id": "sms-1",
            "direction": "Inbound",
            "subject": "Can we meet today?",
            "creationTime": "2026-03-02T15:05:00.000Z",
            "from": {"phoneNumber": PHONE},
            "to": [{"phoneNumber": "+16505550100"}],
            "type": "SMS",
        },
    ],
}


async def ok(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, f"{tool}: {error_text(result)}"
    assert isinstance(result.structured_content, dict), result
    return result.structured_content


async def fails(client: Client, tool: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} unexpectedly succeeded: {result.structured_content}"
    return error_text(result)


def error_text(result: CallToolResult) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def assert_tool_names(client: Client) -> None:
    listed = await client.list_tools()
    assert [tool.name for tool in listed.tools] == list(TOOL_NAMES)
    for tool in listed.tools:
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.output_schema is not None, tool.name


async def log_call_and_sms(client: Client) -> None:
    """Find or create the contact, preview, log the call, update it, log the day's SMS."""
    found = await ok(client, "findContactByPhone", {"phoneNumber": PHONE})
    assert found["contact"] == []
    created = await ok(client, "createContact", {"phoneNumber": PHONE, "newContactName": "Dana Reyes"})
    contact_id = created["contact"]["id"]
    found = await ok(client, "findContactByPhone", {"phoneNumber": PHONE})
    assert [c["id"] for c in found["contact"]] == [contact_id]

    preview = await ok(
        client, "previewLog", {"kind": "call.create", "logInfo": CALL, "contactId": contact_id, "note": "Wants a demo"}
    )
    assert preview["format"] == "text/plain"
    assert "Wants a demo" in preview["body"]
    assert (await ok(client, "getCallLog", {"sessionIds": [SESSION]}))["logs"] == [
        {"sessionId": SESSION, "matched": False}
    ]  # the preview wrote nothing

    logged = await ok(
        client,
        "createCallLog",
        {"logInfo": CALL, "contactId": contact_id, "contactName": "Dana Reyes", "note": "Wants a demo"},
    )
    assert logged["successful"] is True and logged["logId"]
    duplicate = await fails(client, "createCallLog", {"logInfo": CALL, "contactId": contact_id})
    assert f"Existing log for session {SESSION}" in duplicate

    updated = await ok(
        client,
        "updateCallLog",
        {"sessionId": SESSION, "note": "Wants a demo on Friday", "recordingLink": "https://example.test/rec/1"},
    )
    assert updated["logId"] == logged["logId"]
    details = await ok(client, "getCallLog", {"sessionIds": [SESSION], "requireDetails": True})
    entry = details["logs"][0]
    assert entry["matched"] is True and entry["logId"] == logged["logId"]
    body = entry["logData"]["fullBody"]
    assert "Wants a demo on Friday" in body and "https://example.test/rec/1" in body
    assert body.count("Wants a demo") == 1  # the note section was replaced, not appended

    merged = await ok(
        client,
        "previewLog",
        {"kind": "call.update", "sessionId": SESSION, "note": "Signed on Monday", "existingBody": body},
    )
    assert "Signed on Monday" in merged["body"] and "Wants a demo" not in merged["body"]
    assert "https://example.test/rec/1" in merged["body"]  # sections the update does not carry survive

    sms = await ok(client, "createMessageLog", {"logInfo": CONVERSATION, "contactId": contact_id})
    assert sorted(sms["logIds"]) == ["sms-1", "sms-2"]
    again = await ok(client, "createMessageLog", {"logInfo": CONVERSATION, "contactId": contact_id})
    assert again["logIds"] == []  # each message is logged once
