"""One test per deliberate difference of log-format §7 (numbers in the test names)."""

from __future__ import annotations

from typing import Any

import pytest

from composer.compose import (
    ComposeError,
    ComposeRequest,
    SharedSmsRequest,
    UserContext,
    append_message,
    compose_call_log,
    compose_message_log,
    compose_shared_sms,
)


def compose(body: str = "", log_format: str = "text/plain", **fields: Any) -> str:
    return compose_call_log(ComposeRequest(logFormat=log_format, existingBody=body, **fields))


CONTACT_ON = UserContext(userSettings={"addCallLogContactNumber": {"value": True}})


def test_01_contact_number_replacement_keeps_its_line_break() -> None:
    body = "- Contact Number: +1\n- Duration: 5 seconds\n"
    once = compose(body, contactInfo={"phoneNumber": "+2"}, user=CONTACT_ON)
    assert once == "- Contact Number: +2\n- Duration: 5 seconds\n"
    assert compose(once, contactInfo={"phoneNumber": "+2"}, user=CONTACT_ON) == once


def test_01_markdown_ace_link_replacement_keeps_its_line_break() -> None:
    body = "**ACE recording link**: https://a\n\n**Result**: ok\n"
    assert compose(body, "text/markdown", ringSenseLink="https://b") == "**ACE recording link**: https://b\n\n**Result**: ok\n"


def test_02_blank_lines_outside_a_span_survive() -> None:
    body = "- Result: old\n\n- AI Note:\nsummary\n--- END\n"
    assert compose(body, result="new") == "- Result: new\n\n- AI Note:\nsummary\n--- END\n"


def test_03_plain_bulleted_summary_is_replaced_through_its_end() -> None:
    body = "- ACE bulleted summary:\n- one\n- two\n--- END\n- Result: ok\n"
    once = compose(body, ringSenseBulletedSummary="- three")
    assert once == "- ACE bulleted summary:\n- three\n--- END\n- Result: ok\n"
    assert compose(once, ringSenseBulletedSummary="- three") == once


def test_04_markdown_section_ends_at_the_next_marker() -> None:
    body = "### AI Note\nold\n**Call score**: 5\n### ACE summary\nx\n"
    once = compose(body, "text/markdown", aiNote="new")
    assert once == "### AI Note\nnew\n**Call score**: 5\n### ACE summary\nx\n"
    assert compose(once, "text/markdown", aiNote="new") == once


def test_04_markdown_section_replacement_adds_no_blank_line() -> None:
    body = "### Transcript\nold\n\n\n**Result**: ok\n"
    once = compose(body, "text/markdown", transcript="new")
    assert once == "### Transcript\nnew\n**Result**: ok\n"


@pytest.mark.parametrize(("label", "field"), [("Contact Number", "contact"), ("Duration", "duration"), ("Result", "result")])
def test_05_values_containing_hyphens_are_found(label: str, field: str) -> None:
    by_field: dict[str, dict[str, Any]] = {
        "contact": {"contactInfo": {"phoneNumber": "+1-555-0100"}, "user": CONTACT_ON},
        "duration": {"duration": 30},
        "result": {"result": "Call-connected"},
    }
    fields = by_field[field]
    body = f"- {label}: a-b-c\n"
    once = compose(body, **fields)
    assert once.count(f"- {label}:") == 1
    assert compose(once, **fields) == once


def test_06_note_ends_only_at_a_known_marker() -> None:
    body = "- Note: old\n- Action items: call back\n- Summary: s\n"
    assert compose(body, note="new") == "- Note: new\n- Summary: s\n"


def test_07_markers_inside_blocks_and_notes_are_text() -> None:
    body = "- Transcript:\n- Summary: said by the caller\n--- END\n"
    assert compose(body, subject="Real") == body + "- Summary: Real\n"
    note_body = "- Note: I wrote - Note: here\n"
    assert compose(note_body, note="fresh") == "- Note: fresh\n"


def test_08_html_escapes_user_text_and_shows_line_breaks() -> None:
    body = compose(
        log_format="text/html",
        note="<script>alert('x')</script>\nline 2",
        subject='A & "B"',
        recordingLink='https://x.example/?a=1&b="2"',
    )
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt;<br>line 2" in body
    assert "<li><b>Summary</b>: A &amp; &quot;B&quot;</li>" in body
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in body


def test_09_html_recognition_tolerates_line_breaks() -> None:
    body = "<li>\n<b>Duration</b>: 30\nseconds\n</li>\n<div>\n<b>AI Note</b><br>\nold\n</div><br>"
    once = compose(body, "text/html", duration=60, aiNote="new")
    assert once == "<li><b>Duration</b>: 1 minute</li>\n<div><b>AI Note</b><br>new</div><br>"


@pytest.mark.parametrize("text", ["Cost $$5", "$& $1 $` $' \\1 \\g<0>"])
def test_10_user_text_is_inserted_literally(text: str) -> None:
    body = compose("- Note: old\n", note=text)
    assert body == f"- Note: {text}\n"
    assert compose(body, note=text) == body


def test_11_new_fields_go_into_the_field_list_not_a_user_list() -> None:
    user_list = "<ul><li>my own item</li></ul>"
    body = user_list + "<li><b>Duration</b>: 5 seconds</li>"
    assert compose(body, "text/html", result="ok") == body + "<li><b>Result</b>: ok</li>"
    field_list = "<ul><li><b>Duration</b>: 5 seconds</li></ul><p>x</p>"
    assert compose(field_list, "text/html", result="ok") == (
        "<ul><li><b>Duration</b>: 5 seconds</li><li><b>Result</b>: ok</li></ul><p>x</p>"
    )


def test_12_number_and_extension_of_the_users_own_party() -> None:
    settings = UserContext(userSettings={"addRingCentralNumber": {"value": True}})
    call_log = {
        "direction": "Inbound",
        "from": {"phoneNumber": "+2", "extensionNumber": "7"},
        "to": {"phoneNumber": "+1", "extensionNumber": "101"},
    }
    assert compose(callLog=call_log, user=settings) == "- RingCentral number and extension: +1 101\n"
    call_log["to"] = {"phoneNumber": "+1"}
    assert compose(callLog=call_log, user=settings) == "- RingCentral number and extension: +1\n"


@pytest.mark.parametrize(
    ("log_format", "expected"),
    [
        ("text/plain", "Edited in CRM\n- Summary: S\n"),
        ("text/markdown", "Edited in CRM\n**Summary**: S\n"),
    ],
)
def test_13_appends_end_the_previous_line_first(log_format: str, expected: str) -> None:
    assert compose("Edited in CRM", log_format, subject="S") == expected


def test_14_all_multi_line_values_lose_trailing_line_breaks() -> None:
    plain = compose(note="n\n\n", transcript="t\r\n", ringSenseSummary="s\n", ringSenseBulletedSummary="- b\n")
    assert plain == (
        "- Note: n\n\n- Transcript:\nt\n--- END\n\n- ACE summary:\ns\n--- END\n\n- ACE bulleted summary:\n- b\n--- END\n"
    )
    html = compose(log_format="text/html", note="n\n", transcript="t\n")
    assert html == "<b>Agent notes</b><br>n<br><br><b>Call details</b><br><div><b>Transcript</b><br>t</div><br>"


@pytest.mark.parametrize("offset", [None, "", 0, "0"])
def test_15_no_offset_means_utc(offset: object) -> None:
    body = compose(startTime="2024-01-15T10:30:00Z", user=UserContext(timezoneOffset=offset))  # type: ignore[arg-type]
    assert body == "- Date/Time: 2024-01-15 10:30:00 AM\n"


def test_16_hhmm_offsets_are_hours_and_minutes() -> None:
    body = compose(startTime="2024-01-15T10:30:00Z", user=UserContext(timezoneOffset="+0530"))
    assert body == "- Date/Time: 2024-01-15 04:00:00 PM\n"


def test_17_start_times() -> None:
    assert compose(startTime="not a date", duration=5) == "- Duration: 5 seconds\n"
    assert compose(startTime="1705314600000") == "- Date/Time: 2024-01-15 10:30:00 AM\n"
    assert compose(startTime="2024-01-15T10:30:00") == "- Date/Time: 2024-01-15 10:30:00 AM\n"


def test_18_journey_wording_and_robustness() -> None:
    legs = [
        {"direction": "Inbound", "to": {"name": "Only Name"}},
        {"direction": "Inbound", "to": {"phoneNumber": "+1"}, "duration": 0},
        {"direction": "Inbound", "to": {"extensionNumber": "5"}, "duration": 1},
        {"direction": "Outbound"},
        "not a leg",
    ]
    assert compose(callLog={"legs": legs}) == (
        "- Call journey:\nReceived call at Only Name\nTransferred to +1, duration: 0 seconds\n"
        "Transferred to ext 5, duration: 1 second\nTransferred to \nTransferred to \n--- JOURNEY END\n"
    )


def test_19_html_anchors_only_for_http_urls() -> None:
    body = compose(
        log_format="text/html",
        recordingLink="javascript:alert(1)",
        voicemailLink="HTTPS://EXAMPLE.COM/vm",
        ringSenseLink="javascript:alert(2)",
    )
    assert body == (
        "<li><b>Call recording link</b>: (pending...)</li>"
        '<li><b>Voicemail recording link</b>: <a target="_blank" href="HTTPS://EXAMPLE.COM/vm">open</a></li>'
        "<li><b>ACE recording link</b>: javascript:alert(2)</li>"
    )


def test_20_lost_call_details_marker_is_restored_not_duplicated() -> None:
    body = "<b>Agent notes</b><br>old<br><br><li><b>Summary</b>: s</li>"
    once = compose(body, "text/html", note="new")
    assert once == "<b>Agent notes</b><br>new<br><br><b>Call details</b><br><li><b>Summary</b>: s</li>"
    assert compose(once, "text/html", note="new") == once


def test_20_markdown_lost_call_details_is_restored() -> None:
    body = "## Agent notes\nold\n\n**Summary**: s\n"
    once = compose(body, "text/markdown", note="new")
    assert once == "## Agent notes\nnew\n\n## Call details\n**Summary**: s\n"
    assert compose(once, "text/markdown", note="new") == once


def test_21_unknown_format_is_refused_and_missing_inputs_skip_items() -> None:
    with pytest.raises(ComposeError, match="unknown logFormat"):
        compose(log_format="application/json", note="x")
    settings = UserContext(userSettings={"addRingCentralUserName": {"value": 1}, "addRingCentralNumber": {"value": "y"}})
    assert compose(user=settings, subject="s") == "- Summary: s\n"


SHARED: dict[str, Any] = {
    "creationTime": "2024-01-15T10:30:00Z",
    "messages": [{"lastModifiedTime": "2024-01-16T12:45:00Z"}],
    "entities": [
        {"recordType": "AliveMessage", "direction": "Outbound", "text": "a\nb", "creationTime": 1705314900000},
        {"recordType": "AliveMessage", "direction": "Inbound", "text": "c", "creationTime": "2024-01-15T10:35:00Z"},
        {"recordType": "AliveMessage", "direction": "Inbound", "author": {"name": "Pat"}, "creationTime": "bad"},
    ],
}


def shared(log_format: str = "text/plain", offset: object = None) -> str:
    request = SharedSmsRequest(logFormat=log_format, conversation=SHARED, contactName="Pat", timezoneOffset=offset)  # type: ignore[arg-type]
    return compose_shared_sms(request).body


def test_22_23_iso_end_time_and_remaining_hours() -> None:
    body = shared()
    assert "Ended: Tuesday, January 16, 2024 at 12:45 PM\nDuration: 1 d 2 h\n" in body


def test_24_newest_first_with_stable_ties_and_unreadable_last() -> None:
    body = shared()
    assert body.index("Unknown said on 2024-01-15 10:35 AM") < body.index("Pat said on 2024-01-15 10:35 AM")
    assert body.index("Pat said on 2024-01-15 10:35 AM") < body.index("Pat said on Unknown")


def test_25_shared_sms_offsets_follow_the_user_offset_rules() -> None:
    assert "Started: Monday, January 15, 2024 at 06:30 AM" in shared(offset="-4")


def test_26_customer_once_unknown_sender_and_html_line_breaks() -> None:
    body = shared()
    assert body.count("* Pat") == 1
    assert "Unknown said on" in body
    assert "<br>a<br>b</p>" in shared("text/html")


def test_27_message_logs_escape_html() -> None:
    log = compose_message_log(
        log_format="text/html",
        direction="Inbound",
        user_name="<Agent>",
        contact_name="O'Neil",
        contact_phone="+1",
        text="<b>hi</b>",
        creation_time="2024-01-15T10:30:00Z",
    )
    assert "<b>hi</b>" not in log.body
    assert "&lt;b&gt;hi&lt;/b&gt;" in log.body and "O&#039;Neil (+1)" in log.body and "&lt;Agent&gt;" in log.body


def test_28_message_times_use_the_offset_on_create_and_append() -> None:
    common: dict[str, Any] = {
        "log_format": "text/plain",
        "direction": "Outbound",
        "user_name": "Agent",
        "contact_name": "Pat",
        "timezone_offset": "-05:00",
    }
    log = compose_message_log(text="a", creation_time="2024-01-15T10:30:00Z", **common)
    appended = append_message(log.body, text="b", creation_time="2024-01-15T10:45:00Z", **common)
    assert "Agent 05:30 AM\na\n\nAgent 05:45 AM\nb\n\n------------\nEND" in appended


def test_29_every_message_is_followed_by_a_blank_line() -> None:
    common: dict[str, Any] = {"log_format": "text/plain", "direction": "Outbound", "user_name": "A", "contact_name": "P"}
    body = compose_message_log(text="1", creation_time=0, **common).body
    for index in range(2, 4):
        body = append_message(body, text=str(index), creation_time=0, **common)
    assert "A 12:00 AM\n1\n\nA 12:00 AM\n2\n\nA 12:00 AM\n3\n\n------------\nEND" in body
    assert "Conversation(3 messages)" in body


def test_30_mms_keeps_media_and_empty_text_stays_empty() -> None:
    common: dict[str, Any] = {"log_format": "text/plain", "direction": "Outbound", "user_name": "A", "contact_name": "P"}
    mms = compose_message_log(kind="MMS", link="https://media/1", creation_time=0, **common)
    assert "A 12:00 AM\n[Message]: N/A\n[Link]: https://media/1\n\n" in mms.body
    sms = compose_message_log(creation_time=0, **common)
    assert "A 12:00 AM\n\n\n------------" in sms.body and "undefined" not in sms.body


def test_31_shared_sms_returns_its_creation_date() -> None:
    log = compose_shared_sms(SharedSmsRequest(conversation=SHARED, contactName="Pat"))
    assert log.creationTime == "2024-01-15T10:30:00.000Z"
