"""Call-log composition: snapshots of every format x scenario, settings, and errors."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from syrupy.assertion import SnapshotAssertion

from composer.compose import COMPOSED_FORMATS, ComposeError, ComposeRequest, UserContext, compose_call_log

from .builders import REC

ALL_KEYS = (
    "addCallLogNote", "addCallSessionId", "addRingCentralUserName", "addRingCentralNumber", "addCallLogSubject",
    "addCallLogContactNumber", "addCallLogDateTime", "addCallLogDuration", "addCallLogResult", "addCallLogRecording",
    "addCallLogAiNote", "addCallLogTranscript", "addCallLogRingSenseRecordingTranscript",
    "addCallLogRingSenseRecordingSummary", "addCallLogRingSenseRecordingAIScore",
    "addCallLogRingSenseRecordingBulletedSummary", "addCallLogRingSenseRecordingLink", "addCallLogLegs",
)  # fmt: skip
CALL_LOG: dict[str, Any] = {
    "sessionId": "4000123",
    "direction": "Outbound",
    "from": {"phoneNumber": "+16505550199", "name": "Alex Agent", "extensionNumber": "101"},
    "to": {"phoneNumber": "+16505550100", "name": "Pat Customer"},
    "legs": [
        {"direction": "Outbound", "from": {"name": "Alex Agent", "extensionNumber": "101"}, "to": {"phoneNumber": "+16505550100"}},
        {"direction": "Outbound", "legType": "PstnToSip", "to": {"name": "Sales Queue", "extensionNumber": "500"}, "duration": 42},
    ],
}  # fmt: skip
DEFAULT: dict[str, Any] = {
    "callLog": {key: CALL_LOG[key] for key in ("sessionId", "direction", "from", "to")},
    "contactInfo": {"phoneNumber": "+16505550100"},
    "user": UserContext(timezoneOffset="-05:00", userSettings={}),
    "note": "Asked about renewal.\nCall back Friday.",
    "subject": "Outbound call to Pat Customer",
    "startTime": "2024-03-05T14:07:09.000Z",
    "duration": 95,
    "result": "Call connected",
}
ALL_SECTIONS: dict[str, Any] = {
    **DEFAULT,
    "callLog": CALL_LOG,
    "user": UserContext(timezoneOffset="+0530", userSettings={key: {"value": True} for key in ALL_KEYS}),
    "recordingLink": REC,
    "voicemailLink": "https://example.com/vm.mp3",
    "aiNote": "Summary: renewal interest.\n",
    "transcript": "Pat: Hi\nAlex: Hello",
    "ringSenseTranscript": "Pat: I want to renew.",
    "ringSenseSummary": "Renewal likely.",
    "ringSenseAIScore": 92,
    "ringSenseBulletedSummary": "- Renewal\n- Quote Friday",
    "ringSenseLink": "https://ringsense.example.com/rec/789",
}
UPDATE: dict[str, Any] = {
    **ALL_SECTIONS,
    "note": "Renewal confirmed.",
    "subject": "Renewal call",
    "duration": 3725,
    "result": "Completed",
    "aiNote": "Summary: renewed for a year.",
    "ringSenseAIScore": "97",
    "ringSenseBulletedSummary": "- Renewed",
}
FOREIGN = {
    "text/plain": ("Typed first\n", "Typed in the middle\n", "Typed at the end"),
    "text/markdown": ("Typed first\n", "Typed in the middle\n", "Typed at the end"),
    "text/html": ("<p>Typed first</p>", "<p>Typed in the middle</p>", "<p>Typed at the end</p>"),
}


def compose(log_format: str, body: str = "", **fields: Any) -> str:
    return compose_call_log(ComposeRequest(logFormat=log_format, existingBody=body, **fields))


formats = pytest.mark.parametrize("log_format", COMPOSED_FORMATS)


@formats
def test_fresh_default(log_format: str, snapshot: SnapshotAssertion) -> None:
    assert compose(log_format, **DEFAULT) == snapshot


@formats
def test_fresh_all_sections(log_format: str, snapshot: SnapshotAssertion) -> None:
    assert compose(log_format, **ALL_SECTIONS) == snapshot


@formats
def test_update_every_item(log_format: str, snapshot: SnapshotAssertion) -> None:
    created = compose(log_format, **ALL_SECTIONS)
    updated = compose(log_format, created, **UPDATE)
    assert updated == snapshot
    assert compose(log_format, updated, **UPDATE) == updated


@formats
def test_pending_then_final_recording(log_format: str, snapshot: SnapshotAssertion) -> None:
    pending = compose(log_format, **DEFAULT, recordingLink="pending", voicemailLink="pending")
    final = compose(log_format, pending, recordingLink=REC, voicemailLink="https://example.com/vm.mp3")
    back_to_pending = compose(log_format, final, recordingLink="pending")
    assert (pending, final, back_to_pending) == snapshot
    assert final.count("Call recording link") == 1


@formats
def test_foreign_text_before_inside_and_after(log_format: str, snapshot: SnapshotAssertion) -> None:
    first, middle, last = FOREIGN[log_format]
    created = compose(log_format, **DEFAULT)
    cut = created.index({"text/plain": "- Date/", "text/markdown": "**Date/", "text/html": "<li><b>Date/"}[log_format])
    body = first + created[:cut] + middle + created[cut:] + last
    updated = compose(log_format, body, **UPDATE)
    assert updated == snapshot
    for text in (middle, last):
        assert text in updated
    assert compose(log_format, updated, **UPDATE) == updated


@formats
def test_unicode_and_emoji(log_format: str, snapshot: SnapshotAssertion) -> None:
    fields = {
        **DEFAULT,
        "note": "Zo\u00eb called \u2014 \u4e2d\u6587 \U0001f600\u200b",
        "subject": "\U0001f4de R\u00e9sum\u00e9 <b>call</b>",
        "transcript": "\u00c5sa: Hej \U0001f44b\r\nAlex: \u0645\u0631\u062d\u0628\u0627",
    }
    body = compose(log_format, **fields)
    assert body == snapshot
    assert compose(log_format, body, **fields) == body


@formats
def test_long_transcript(log_format: str, snapshot: SnapshotAssertion) -> None:
    transcript = "\n".join(f"Speaker {n % 2}: line {n} of the conversation." for n in range(300))
    body = compose(log_format, **DEFAULT, transcript=transcript)
    assert body == snapshot
    assert compose(log_format, body, **DEFAULT, transcript=transcript) == body


@formats
def test_empty_and_missing_fields(log_format: str, snapshot: SnapshotAssertion) -> None:
    empty = compose(log_format, note="", subject=None, result="", recordingLink="", duration=None, callLog=None, user=None)
    absent = compose(log_format)
    assert (empty, absent) == snapshot
    assert absent == ""


@formats
def test_every_setting_off(log_format: str) -> None:
    off = UserContext(userSettings={key: {"value": False} for key in ALL_KEYS})
    fields = {**ALL_SECTIONS, "user": off}
    assert compose(log_format, **fields) == ""
    existing = compose(log_format, **ALL_SECTIONS)
    assert compose(log_format, existing, **{**UPDATE, "user": off}) == existing


def test_settings_take_defaults_only_for_null() -> None:
    user = UserContext(userSettings={"addCallLogSubject": {"value": None}, "addCallLogResult": {"value": ""}})
    assert compose("text/plain", subject="s", result="r", user=user) == "- Summary: s\n"


def test_log_date_format_setting() -> None:
    user = UserContext(timezoneOffset="-05:00", userSettings={"logDateFormat": {"value": "dddd, MMMM Do YYYY, h:mm a"}})
    assert compose("text/plain", startTime="2024-01-15T10:30:00Z", user=user) == "- Date/Time: Monday, January 15th 2024, 5:30 am\n"


def test_start_time_falls_back_to_the_call_log() -> None:
    assert compose("text/plain", callLog={"startTime": 1705314600000}) == "- Date/Time: 2024-01-15 10:30:00 AM\n"


def test_duration_absent_differs_from_null() -> None:
    assert compose("text/plain") == ""
    assert compose("text/plain", duration=None) == "- Duration: 0 seconds\n"
    assert compose("text/plain", duration=msgspec.UNSET) == ""


def test_score_zero_is_absent_and_numbers_print_like_javascript() -> None:
    assert compose("text/plain", ringSenseAIScore=0) == ""
    assert compose("text/plain", ringSenseAIScore=92.0, subject=7.5) == "- Summary: 7.5\n- Call score: 92\n"


def test_html_contact_label_follows_direction() -> None:
    user = UserContext(userSettings={"addCallLogContactNumber": {"value": True}})
    inbound = compose("text/html", callLog={"direction": "Inbound"}, contactInfo={"phoneNumber": "+1"}, user=user)
    assert inbound == "<li><b>Caller phone number</b>: +1</li>"
    outbound = compose("text/html", inbound, callLog={"direction": "Outbound"}, contactInfo={"phoneNumber": "+1"}, user=user)
    assert outbound == "<li><b>Recipient phone number</b>: +1</li>"


def test_user_may_be_a_mapping() -> None:
    user: Any = {"timezoneOffset": "+01:00", "userSettings": {"addCallLogDuration": {"value": False}}}
    assert compose("text/plain", startTime="2024-01-15T10:30:00Z", duration=5, user=user) == (
        "- Date/Time: 2024-01-15 11:30:00 AM\n"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"logFormat": "text/rtf"}, "unknown logFormat"),
        ({"existingBody": 5}, "existingBody must be a string"),
        ({"callLog": "session"}, "callLog must be an object"),
        ({"contactInfo": ["+1"]}, "contactInfo must be an object"),
        ({"user": "me"}, "user must be an object"),
        ({"user": UserContext(userSettings="on")}, "userSettings must be an object"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_raises_compose_error(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ComposeError, match=message):
        compose_call_log(ComposeRequest(**fields))


def test_unexpected_failures_become_compose_errors() -> None:
    class Exploding:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("boom")

        __hash__ = object.__hash__

    with pytest.raises(ComposeError, match="boom"):
        compose_call_log(ComposeRequest(note=Exploding()))  # type: ignore[arg-type]
