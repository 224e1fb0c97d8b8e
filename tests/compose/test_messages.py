"""§6.2-6.4 message-log bodies, including golden example G14."""

from __future__ import annotations

from typing import Any

import pytest

from composer.compose import ComposeError, append_message, compose_message_log, message_kind

G14_CREATE = (
    "\nConversation summary\nTuesday, July 14, 2026\nParticipants\n    Jordan Lee\n    Maya Patel\n\n"
    "Conversation(1 messages)\nBEGIN\n------------\nMaya Patel (+14155550621) 03:00 AM\n"
    "Can you send the renewal options?\n\n------------\nEND\n\n--- Created via RingCentral App Connect"
)
G14_APPEND = (
    "\nConversation summary\nTuesday, July 14, 2026\nParticipants\n    Jordan Lee\n    Maya Patel\n\n"
    "Conversation(2 messages)\nBEGIN\n------------\nMaya Patel (+14155550621) 03:00 AM\n"
    "Can you send the renewal options?\n\nJordan Lee 03:05 AM\nHere are the renewal options and plan comparison.\n\n"
    "------------\nEND\n\n--- Created via RingCentral App Connect"
)
PEOPLE: dict[str, Any] = {"user_name": "Jordan Lee", "contact_name": "Maya Patel", "contact_phone": "+14155550621"}


def test_g14_plain_create_then_append() -> None:
    log = compose_message_log(
        log_format="text/plain",
        direction="Inbound",
        text="Can you send the renewal options?",
        creation_time="2026-07-14T03:00:00.000Z",
        **PEOPLE,
    )
    assert log.subject == "SMS conversation with Maya Patel - 26/07/14"
    assert log.body == G14_CREATE
    appended = append_message(
        log.body,
        log_format="text/plain",
        direction="Outbound",
        text="Here are the renewal options and plan comparison.",
        creation_time="2026-07-14T03:05:00.000Z",
        **PEOPLE,
    )
    assert appended == G14_APPEND


def test_html_create_then_append() -> None:
    log = compose_message_log(
        log_format="text/html", direction="Inbound", text="Hi\nthere", creation_time="2026-07-14T03:00:00Z",
        correspondents=["Sam", None], **PEOPLE,
    )  # fmt: skip
    assert log.body == (
        "<br><b>SMS conversation with Maya Patel - 26/07/14</b><br><b>Conversation summary</b><br>"
        "Tuesday, July 14, 2026<br>Participants<br><ul><li><b>Jordan Lee</b><br></li><li><b>Maya Patel</b></li>"
        "<li><b>Sam</b></li><li><b>Unknown</b></li></ul><br>Conversation(1 messages)<br>BEGIN<br>------------<br>"
        "<ul><li>Maya Patel (+14155550621) 03:00 AM<br><b>Hi<br>there</b></li></ul>------------<br>END<br><br>"
        "--- Created via RingCentral App Connect"
    )
    appended = append_message(
        log.body, log_format="text/html", direction="Outbound", text="ok", creation_time="2026-07-14T03:05:00Z", **PEOPLE
    )
    assert "<b>Hi<br>there</b></li><li>Jordan Lee 03:05 AM<br><b>ok</b></li></ul>------------<br>" in appended
    assert "<br>Conversation(2 messages)<br>" in appended


def test_group_sms_extra_correspondents_plain() -> None:
    log = compose_message_log(
        log_format="text/plain", direction="Outbound", text="x", creation_time=0, correspondents=["Sam", ""], **PEOPLE
    )
    assert "    Maya Patel\n    Sam\n    Unknown\nConversation(1 messages)" in log.body


@pytest.mark.parametrize(
    ("kind", "log_format", "subject", "body"),
    [
        ("Voicemail", "text/plain", "Voicemail left by Maya Patel - 01/15/2024",
         "Voicemail recording link: https://v \n\n--- Created via RingCentral App Connect"),
        ("Fax", "text/plain", "Fax document sent from Maya Patel - 01/15/2024",
         "Fax document link: https://v \n\n--- Created via RingCentral App Connect"),
        ("Voicemail", "text/html", "Voicemail left by Maya Patel - 01/15/2024",
         "<br><b>Voicemail left by Maya Patel - 01/15/2024</b><br>Voicemail recording link: https://v <br><br>"
         "--- Created via RingCentral App Connect"),
        ("Fax", "text/html", "Fax document sent from Maya Patel - 01/15/2024",
         "<br><b>Fax document sent from Maya Patel - 01/15/2024</b><br>Fax document link: https://v <br><br>"
         "--- Created via RingCentral App Connect"),
    ],
)  # fmt: skip
def test_voicemail_and_fax(kind: Any, log_format: str, subject: str, body: str) -> None:
    log = compose_message_log(
        log_format=log_format, kind=kind, direction="Inbound", link="https://v", creation_time=1705314600000,
        date_format="MM/DD/YYYY", **PEOPLE,
    )  # fmt: skip
    assert (log.subject, log.body) == (subject, body)


def test_markdown_uses_the_plain_layout() -> None:
    common: dict[str, Any] = {"direction": "Outbound", "text": "x", "creation_time": 0, **PEOPLE}
    assert compose_message_log(log_format="text/markdown", **common) == compose_message_log(
        log_format="text/plain", **common
    )


def test_append_without_markers_keeps_the_message() -> None:
    appended = append_message(
        "edited away", log_format="text/plain", direction="Outbound", text="x", creation_time=0, **PEOPLE
    )
    assert appended == "edited awayJordan Lee 12:00 AM\nx\n\n"


def test_errors() -> None:
    with pytest.raises(ComposeError, match="unknown logFormat"):
        compose_message_log(log_format="text/rtf", direction="Inbound", creation_time=0, **PEOPLE)
    with pytest.raises(ComposeError, match="not a readable time"):
        compose_message_log(log_format="text/plain", direction="Inbound", creation_time="soon", **PEOPLE)
    with pytest.raises(ComposeError, match="one activity per message"):
        append_message("", log_format="text/plain", kind="Fax", direction="Inbound", creation_time=0, **PEOPLE)


def test_message_kind() -> None:
    assert message_kind(recording_link="r", fax_doc_link="f", media_link="m") == "Voicemail"
    assert message_kind(fax_doc_link="f", media_link="m") == "Fax"
    assert message_kind(media_link="m") == "MMS"
    assert message_kind(media_link="") == "SMS"
