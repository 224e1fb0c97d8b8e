"""The golden examples of log-format §8, the worked example §3.6 and the table of §4.10, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest

from composer.compose import ComposeRequest, UserContext, compose_call_log

from .builders import REC, base, inbound, life


def test_g1_plain_create_base() -> None:
    assert compose_call_log(base("text/plain")) == (
        "- Note: Test note\n- Summary: Test Call\n- Date/Time: 2024-01-15 10:30:00 AM\n- Duration: 2 minutes\n"
        "- Result: Completed\n"
    )


def test_g2_html_create_base() -> None:
    assert compose_call_log(base("text/html")) == (
        "<b>Agent notes</b><br>Test note<br><br><b>Call details</b><br><li><b>Summary</b>: Test Call</li>"
        "<li><b>Date/time</b>: 2024-01-15 10:30:00 AM</li><li><b>Duration</b>: 2 minutes</li>"
        "<li><b>Result</b>: Completed</li>"
    )


def test_g3_markdown_create_base() -> None:
    assert compose_call_log(base("text/markdown")) == (
        "## Agent notes\nTest note\n\n## Call details\n**Summary**: Test Call\n"
        "**Date/Time**: 2024-01-15 10:30:00 AM\n**Duration**: 2 minutes\n**Result**: Completed\n"
    )


G4_INPUTS: dict[str, Any] = {
    "note": "Test note",
    "subject": "Test subject",
    "duration": 90,
    "result": "Answered",
    "recordingLink": "https://example.com/recording.mp3",
    "aiNote": "AI generated note",
    "transcript": "Call transcript",
}


def test_g4_plain_create_inbound() -> None:
    assert compose_call_log(inbound("text/plain", **G4_INPUTS)) == (
        "- Note: Test note\n- Session Id: session123\n- Summary: Test subject\n- Contact Number: +1234567890\n"
        "- Date/Time: 2023-01-01 05:30:00 PM\n- Duration: 1 minute, 30 seconds\n- Result: Answered\n"
        "- Call recording link: https://example.com/recording.mp3\n\n- AI Note:\nAI generated note\n--- END\n\n"
        "- Transcript:\nCall transcript\n--- END\n"
    )


def test_g5_html_create_inbound() -> None:
    assert compose_call_log(inbound("text/html", **G4_INPUTS)) == (
        "<b>Agent notes</b><br>Test note<br><br><b>Call details</b><br><li><b>Session Id</b>: session123</li>"
        "<li><b>Summary</b>: Test subject</li><li><b>Caller phone number</b>: +1234567890</li>"
        "<li><b>Date/time</b>: 2023-01-01 05:30:00 PM</li><li><b>Duration</b>: 1 minute, 30 seconds</li>"
        "<li><b>Result</b>: Answered</li><li><b>Call recording link</b>: "
        '<a target="_blank" href="https://example.com/recording.mp3">open</a></li>'
        "<div><b>AI Note</b><br>AI generated note</div><br><div><b>Transcript</b><br>Call transcript</div><br>"
    )


def test_g6_plain_create_base_with_ace() -> None:
    request = base(
        "text/plain",
        ringSenseTranscript="RS Transcript",
        ringSenseSummary="RS Summary",
        ringSenseAIScore="85",
        ringSenseBulletedSummary="- Point 1\n- Point 2",
        ringSenseLink="https://ringsense.example.com/123",
    )
    assert compose_call_log(request) == (
        "- Note: Test note\n- Summary: Test Call\n- Date/Time: 2024-01-15 10:30:00 AM\n- Duration: 2 minutes\n"
        "- Result: Completed\n\n- ACE transcript:\nRS Transcript\n--- END\n\n- ACE summary:\nRS Summary\n--- END\n"
        "- Call score: 85\n\n- ACE bulleted summary:\n- Point 1\n- Point 2\n--- END\n"
        "- ACE recording link: https://ringsense.example.com/123\n"
    )


def test_g7_html_create_inbound_ace_without_note() -> None:
    request = inbound(
        "text/html",
        ringSenseTranscript="RS transcript",
        ringSenseSummary="RS summary",
        ringSenseAIScore="85",
        ringSenseBulletedSummary="- Item 1\n- Item 2",
        ringSenseLink="https://ringsense.example.com/rec/789",
    )
    assert compose_call_log(request) == (
        "<li><b>Session Id</b>: session123</li><li><b>Caller phone number</b>: +1234567890</li>"
        "<li><b>Date/time</b>: 2023-01-01 05:30:00 PM</li><div><b>ACE transcript</b><br>RS transcript</div>"
        "<div><b>ACE summary</b><br>RS summary</div><li><b>Call score</b>: 85</li>"
        "<div><b>ACE bulleted summary</b><br>- Item 1<br>- Item 2</div><li><b>ACE recording link</b>: "
        '<a target="_blank" href="https://ringsense.example.com/rec/789">open</a></li>'
    )


def test_g8_plain_update_inbound() -> None:
    request = inbound(
        "text/plain",
        existingBody="- Note: Old note\n- Duration: 30 seconds\n",
        note="New note",
        duration=90,
        result="Answered",
    )
    assert compose_call_log(request) == (
        "- Note: New note\n- Duration: 1 minute, 30 seconds\n- Session Id: session123\n"
        "- Contact Number: +1234567890\n- Date/Time: 2023-01-01 05:30:00 PM\n- Result: Answered\n"
    )


LIFE_NOTE = "Asked about renewal.\nCall back Friday."


def test_g9_plain_update_life_keeps_user_line() -> None:
    before = (
        "- Note: Asked about renewal.\nCall back Friday.\n- Session Id: 4000123\n"
        "- Summary: Inbound call from Pat Customer\n- Date/Time: 2024-03-05 09:07:09 AM\n"
        "- Duration: 1 minute, 35 seconds\n- Result: Call connected\n"
        f"- Call recording link: {REC}\nEdited in CRM\n"
    )
    request = life(
        "text/plain",
        existingBody=before,
        note=LIFE_NOTE,
        recordingLink=REC,
        aiNote="Summary: renewal interest.\n",
        transcript="Pat: Hi\nAlex: Hello",
    )
    assert compose_call_log(request) == before + (
        "\n- AI Note:\nSummary: renewal interest.\n--- END\n\n- Transcript:\nPat: Hi\nAlex: Hello\n--- END\n"
    )


def test_g10_markdown_update_life_prepends_note_header() -> None:
    before = (
        "**Session Id**: 4000123\n**Summary**: Inbound call from Pat Customer\n"
        "**Date/Time**: 2024-03-05 09:07:09 AM\n**Duration**: 1 minute, 35 seconds\n**Result**: Call connected\n"
        "**Call recording link**: pending\nEdited in CRM\n"
    )
    request = life("text/markdown", existingBody=before, note=LIFE_NOTE, recordingLink="pending")
    assert compose_call_log(request) == (
        "## Agent notes\nAsked about renewal.\nCall back Friday.\n\n## Call details\n" + before
    )


def test_g11_html_update_of_reference_body() -> None:
    tail = (
        "<li><b>Session Id</b>: 4000123</li><li><b>Summary</b>: Inbound call from Pat Customer</li>"
        "<li><b>Date/time</b>: 2024-03-05 09:07:09 AM</li><li><b>Duration</b>: 1 minute, 35 seconds</li>"
        "<li><b>Result</b>: Call connected</li><li><b>Call recording link</b>: "
        f'<a target="_blank" href="{REC}">open</a></li><p>Edited in CRM</p>'
        "<div><b>AI Note</b><br>Summary: renewal interest.</div><br>"
        "<div><b>Transcript</b><br>Pat: Hi<br>Alex: Hello</div><br>"
    )
    before = f"<b>Agent notes</b><br>{LIFE_NOTE}<br><br><b>Call details</b><br>" + tail
    request = life(
        "text/html",
        existingBody=before,
        note="Renewal confirmed.",
        recordingLink=REC,
        aiNote="Summary: renewal interest.\n",
        transcript="Pat: Hi\nAlex: Hello",
    )
    assert compose_call_log(request) == (
        "<b>Agent notes</b><br>Renewal confirmed.<br><br><b>Call details</b><br>" + tail
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "<li><b>Call recording link</b>: (pending...)</li>",
            '<li><b>Call recording link</b>: <a target="_blank" href="https://example.com/recording.mp3">open</a></li>',
        ),
        (
            "<ul><li><b>Duration</b>: 30 seconds</li></ul>",
            "<ul><li><b>Duration</b>: 30 seconds</li><li><b>Call recording link</b>: "
            '<a target="_blank" href="https://example.com/recording.mp3">open</a></li></ul>',
        ),
    ],
)
def test_g12_html_recording_link_only(before: str, after: str) -> None:
    request = ComposeRequest(
        logFormat="text/html", existingBody=before, recordingLink="https://example.com/recording.mp3"
    )
    assert compose_call_log(request) == after


def test_g13_plain_journey_on_legacy_glued_body() -> None:
    legs = [
        {
            "direction": "Outbound",
            "from": {"name": "Agent", "phoneNumber": "+100", "extensionNumber": "101"},
            "to": {"name": "John", "phoneNumber": "+200"},
            "duration": 30,
        },
        {
            "direction": "Outbound",
            "legType": "PstnToSip",
            "from": {"name": "Agent", "phoneNumber": "+100", "extensionNumber": "101"},
            "to": {"name": "Queue", "extensionNumber": "500"},
            "duration": 45,
        },
    ]
    head = (
        "- Note: From auto logging 123\n- Summary: Inbound Call from Embbnux Rcorg\n"
        "- Contact Number: +16579991394- Call journey:\n"
    )
    before = head + (
        "Made call from Agent, +000, ext 101\nTransferred to Queue, ext 500, duration: 12 seconds\n--- JOURNEY END\n"
    )
    request = ComposeRequest(logFormat="text/plain", existingBody=before, callLog={"legs": legs})
    assert compose_call_log(request) == head + (
        "Made call from Agent, +100, ext 101\nTransferred to Queue, ext 500, duration: 45 seconds\n--- JOURNEY END\n"
    )


# --- §3.6 worked example --------------------------------------------------------------------------


def worked_example(log_format: str) -> ComposeRequest:
    return ComposeRequest(
        logFormat=log_format,
        callLog={
            "direction": "Inbound",
            "from": {"phoneNumber": "+16505550100", "name": "Pat Customer"},
            "to": {"phoneNumber": "+16505550199", "name": "Alex Agent", "extensionNumber": "101"},
            "legs": [
                {
                    "direction": "Inbound",
                    "to": {"name": "Sales Queue", "phoneNumber": "+16505550199", "extensionNumber": "500"},
                    "duration": 20,
                },
                {"direction": "Inbound", "to": {"name": "Alex Agent", "extensionNumber": "101"}, "duration": 75},
            ],
        },
        user=UserContext(timezoneOffset="-05:00"),
        note="Asked about renewal. Call back Friday.",
        subject="Inbound call from Pat Customer",
        startTime="2024-03-05T14:07:09.000Z",
        duration=95,
        result="Call connected",
        recordingLink=REC,
        aiNote="Summary: renewal interest.\n",
        transcript="Pat: Hi\nAlex: Hello",
    )


def test_worked_example_plain() -> None:
    assert compose_call_log(worked_example("text/plain")) == (
        "- Note: Asked about renewal. Call back Friday.\n- Summary: Inbound call from Pat Customer\n"
        "- Date/Time: 2024-03-05 09:07:09 AM\n- Duration: 1 minute, 35 seconds\n- Result: Call connected\n"
        f"- Call recording link: {REC}\n\n- AI Note:\nSummary: renewal interest.\n--- END\n\n"
        "- Transcript:\nPat: Hi\nAlex: Hello\n--- END\n- Call journey:\n"
        "Received call at Sales Queue, +16505550199, ext 500\n"
        "Transferred to Alex Agent, ext 101, duration: 75 seconds\n--- JOURNEY END\n"
    )


def test_worked_example_markdown() -> None:
    assert compose_call_log(worked_example("text/markdown")) == (
        "## Agent notes\nAsked about renewal. Call back Friday.\n\n## Call details\n"
        "**Summary**: Inbound call from Pat Customer\n**Date/Time**: 2024-03-05 09:07:09 AM\n"
        "**Duration**: 1 minute, 35 seconds\n**Result**: Call connected\n"
        f"**Call recording link**: {REC}\n### AI Note\nSummary: renewal interest.\n"
        "### Transcript\nPat: Hi\nAlex: Hello\n### Call journey\n"
        "Received call at Sales Queue, +16505550199, ext 500\n"
        "Transferred to Alex Agent, ext 101, duration: 75 seconds\n"
    )


def test_worked_example_html() -> None:
    assert compose_call_log(worked_example("text/html")) == (
        "<b>Agent notes</b><br>Asked about renewal. Call back Friday.<br><br><b>Call details</b><br>"
        "<li><b>Summary</b>: Inbound call from Pat Customer</li><li><b>Date/time</b>: 2024-03-05 09:07:09 AM</li>"
        "<li><b>Duration</b>: 1 minute, 35 seconds</li><li><b>Result</b>: Call connected</li>"
        f'<li><b>Call recording link</b>: <a target="_blank" href="{REC}">open</a></li>'
        "<div><b>AI Note</b><br>Summary: renewal interest.</div><br>"
        "<div><b>Transcript</b><br>Pat: Hi<br>Alex: Hello</div><br>"
        "<div><b>Call journey</b><br>Received call at Sales Queue, +16505550199, ext 500<br>"
        "Transferred to Alex Agent, ext 101, duration: 75 seconds</div>"
    )


def test_worked_example_plain_all_optional_items_order() -> None:
    request = worked_example("text/plain")
    request.ringSenseTranscript = "T"
    request.ringSenseSummary = "S"
    request.ringSenseAIScore = 92
    request.ringSenseBulletedSummary = "- First item\n- Second item"
    request.ringSenseLink = "https://ace.example.com/1"
    body = compose_call_log(request)
    assert (
        "--- END\n\n- ACE transcript:\nT\n--- END\n\n- ACE summary:\nS\n--- END\n- Call score: 92\n\n"
        "- ACE bulleted summary:\n- First item\n- Second item\n--- END\n"
        "- ACE recording link: https://ace.example.com/1\n- Call journey:\n"
    ) in body


# --- §4.10 recognition examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "inputs", "after"),
    [
        (
            "- Note: Old note\nwith multiple lines\n- Duration: 30 seconds\n",
            {"note": "New note"},
            "- Note: New note\n- Duration: 30 seconds\n",
        ),
        (
            "- ACE bulleted summary: Old item\n",
            {"ringSenseBulletedSummary": "- New item"},
            "- ACE bulleted summary:\n- New item\n--- END\n",
        ),
        (
            "**Summary**: Old subject\n**Duration**: 5 minutes",
            {"subject": "New subject", "logFormat": "text/markdown"},
            "**Summary**: New subject\n**Duration**: 5 minutes",
        ),
        (
            "- Date/Time: 2023-01-01 12:00:00 AM\n- Duration: 30 seconds\n",
            {"startTime": "2023-01-01T12:00:00.000Z", "user": UserContext(timezoneOffset="+08:00")},
            "- Date/Time: 2023-01-01 08:00:00 PM\n- Duration: 30 seconds\n",
        ),
        (
            "- Result: Call-connected\n- Duration: 30 seconds\n",
            {"result": "Missed"},
            "- Result: Missed\n- Duration: 30 seconds\n",
        ),
    ],
)
def test_recognition_examples(before: str, inputs: dict[str, Any], after: str) -> None:
    assert compose_call_log(ComposeRequest(existingBody=before, **inputs)) == after


def test_user_name_is_write_once() -> None:
    settings = UserContext(userSettings={"addRingCentralUserName": {"value": True}})
    call_log = {"direction": "Outbound", "from": {"name": "John Doe"}}
    pending = ComposeRequest(existingBody="- RingCentral user name: (pending...)\n", callLog=call_log, user=settings)
    assert compose_call_log(pending) == "- RingCentral user name: John Doe\n"
    known = ComposeRequest(existingBody="- RingCentral user name: Jane Smith\n", callLog=call_log, user=settings)
    assert compose_call_log(known) == "- RingCentral user name: Jane Smith\n"
