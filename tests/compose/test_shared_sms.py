"""§6.5 shared-SMS conversations, including the required example."""

from __future__ import annotations

from typing import Any

import pytest

from composer.compose import ComposeError, SharedSmsRequest, compose_shared_sms

CONVERSATION: dict[str, Any] = {
    "creationTime": "2024-01-15T10:30:00Z",
    "messages": [{"lastModifiedTime": "2024-01-15T10:30:00Z"}, {"lastModifiedTime": "2024-01-16T12:45:00Z"}],
    "owner": {"name": "Sales Queue", "extensionType": "Department"},
    "entities": [
        {"recordType": "AliveMessage", "direction": "Inbound", "from": {"phoneNumber": "+16505550100"},
         "text": 'Hi <there> & "you"', "creationTime": "2024-01-15T10:30:00Z"},
        {"recordType": "ThreadAssignedHint", "assignee": {"name": "Agent Smith"}, "creationTime": "2024-01-15T10:32:00Z"},
        {"recordType": "AliveMessage", "direction": "Outbound", "author": {"name": "Agent Smith"},
         "text": "Line1\nLine2", "creationTime": "2024-01-15T10:35:00Z"},
        {"recordType": "AliveNote", "initiator": {"name": "Agent Jones"}, "body": "Internal",
         "creationTime": "2024-01-15T10:40:00Z"},
        {"recordType": "ThreadCreatedHint", "creationTime": "2024-01-15T10:29:00Z"},
    ],
}  # fmt: skip

PLAIN = """Conversation summary
Started: Monday, January 15, 2024 at 05:30 AM
Ended: Tuesday, January 16, 2024 at 07:45 AM
Duration: 1 d 2 h

Participants
* Pat O'Neil (customer)
* +16505550100
* Agent Smith
* Agent Jones

Receiving call queue: Sales Queue

Conversation (2 messages, 1 note)
BEGIN
------------
Agent Jones left a note on 2024-01-15 05:40 AM:
Internal

Agent Smith said on 2024-01-15 05:35 AM:
Line1
Line2

Conversation assigned to Agent Smith

Pat O'Neil said on 2024-01-15 05:30 AM:
Hi <there> & "you"

------------
END"""


def compose(log_format: str, **conversation: Any) -> Any:
    return compose_shared_sms(
        SharedSmsRequest(
            logFormat=log_format,
            conversation={**CONVERSATION, **conversation},
            contactName="Pat O'Neil",
            timezoneOffset="-05:00",
        )
    )


def test_required_example_plain() -> None:
    log = compose("text/plain")
    assert log.subject == "SMS conversation with Pat O'Neil"
    assert log.body == PLAIN
    assert log.creationTime == "2024-01-15T10:30:00.000Z"


def test_required_example_html_entries() -> None:
    body = compose("text/html").body
    assert "<p><b>Agent Smith</b> said on 2024-01-15 05:35 AM:<br>Line1<br>Line2</p>" in body
    assert "<p><b>Pat O&#039;Neil</b> said on 2024-01-15 05:30 AM:<br>Hi &lt;there&gt; &amp; &quot;you&quot;</p>" in body
    assert body.startswith(
        "<div><b>Conversation summary</b><br>Started: Monday, January 15, 2024 at 05:30 AM<br>"
        "Ended: Tuesday, January 16, 2024 at 07:45 AM<br>Duration: 1 d 2 h<br></div><br>"
        "<div><b>Participants</b><ul><li>Pat O&#039;Neil (customer)</li><li>+16505550100</li>"
        "<li>Agent Smith</li><li>Agent Jones</li></ul></div><div>Receiving call queue: <b>Sales Queue</b></div><br>"
        "<div><b>Conversation (2 messages, 1 note)</b></div><div>BEGIN</div><hr><p>"
    )
    assert body.endswith("</p><hr><div>END</div>")


def test_markdown_layout() -> None:
    log = compose("text/markdown")
    assert log.subject == "**SMS conversation with Pat O'Neil**"
    assert log.body.startswith("## Conversation summary\nStarted:")
    assert "\n### Participants\n* Pat O'Neil (customer)\n" in log.body
    assert "\nReceiving call queue: **Sales Queue**\n\n### Conversation (2 messages, 1 note)\nBEGIN\n---\n" in log.body
    assert "*Conversation assigned to **Agent Smith***\n\n" in log.body
    assert log.body.endswith("\n---\nEND")


def test_unknown_formats_render_plain() -> None:
    assert compose("application/json").body == PLAIN


@pytest.mark.parametrize(
    ("owner", "line"),
    [
        ({"name": "Support queue"}, "Receiving call queue: Support queue"),
        ({"name": "Dana", "extensionType": "User"}, "Owner: Dana"),
    ],
)
def test_owner_line(owner: dict[str, str], line: str) -> None:
    assert f"\n{line}\n\nConversation" in compose("text/plain", owner=owner).body


def test_without_owner_or_messages() -> None:
    log = compose("text/plain", owner=None, messages=[], entities=[])
    assert "Ended: Monday, January 15, 2024 at 05:30 AM\nDuration: 0 d 0 h" in log.body
    assert "\n\nConversation (0 messages)\nBEGIN\n------------\n------------\nEND" in log.body


def test_epoch_times_and_counts() -> None:
    entities = [{"recordType": "AliveMessage", "direction": "Inbound", "creationTime": 1705314600000, "subject": "s"}]
    log = compose("text/plain", creationTime=1705314600000, messages=[{"lastModifiedTime": 1705318200000}], entities=entities)
    assert "Duration: 0 d 1 h" in log.body
    assert "Conversation (1 message)" in log.body
    assert "Pat O'Neil said on 2024-01-15 05:30 AM:\ns\n" in log.body


def test_bad_shapes() -> None:
    with pytest.raises(ComposeError):
        compose_shared_sms(SharedSmsRequest(conversation={"messages": "nope"}))
    with pytest.raises(ComposeError):
        compose_shared_sms(SharedSmsRequest(conversation="nope"))  # type: ignore[arg-type]
