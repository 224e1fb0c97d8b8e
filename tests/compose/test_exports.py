"""The public surface of ``composer.compose`` is a reviewed decision."""

from __future__ import annotations

import inspect

import composer.compose as compose

EXPECTED = {
    "COMPOSED_FORMATS",
    "SIGNATURE",
    "ComposeError",
    "ComposeRequest",
    "MessageKind",
    "MessageLog",
    "SharedSmsLog",
    "SharedSmsRequest",
    "UserContext",
    "append_message",
    "compose_call_log",
    "compose_message_log",
    "compose_shared_sms",
    "decode_compose_request",
    "decode_shared_sms_request",
    "extract_note",
    "markdown_to_html",
    "message_kind",
}


def test_all_is_pinned() -> None:
    assert set(compose.__all__) == EXPECTED
    assert all(hasattr(compose, name) for name in compose.__all__)


def test_formats_and_error_type() -> None:
    assert compose.COMPOSED_FORMATS == ("text/plain", "text/html", "text/markdown")
    assert issubclass(compose.ComposeError, ValueError)


def test_options_are_keyword_only() -> None:
    for function in (compose.compose_message_log, compose.append_message, compose.extract_note, compose.compose_call_log):
        parameters = list(inspect.signature(function).parameters.values())
        positional = [p for p in parameters if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert len(positional) <= 1, function.__name__


def test_request_field_names_are_the_wire_names() -> None:
    assert compose.ComposeRequest.__struct_fields__ == (
        "logFormat", "existingBody", "callLog", "contactInfo", "user", "note", "subject", "startTime", "duration",
        "result", "recordingLink", "voicemailLink", "aiNote", "transcript", "ringSenseTranscript", "ringSenseSummary",
        "ringSenseAIScore", "ringSenseBulletedSummary", "ringSenseLink",
    )  # fmt: skip
    assert compose.SharedSmsRequest.__struct_fields__ == ("logFormat", "conversation", "contactName", "timezoneOffset")


def test_decoding_is_lenient_and_keeps_absent_distinct_from_null() -> None:
    request = compose.decode_compose_request(b'{"unknown": 1, "duration": null}')
    assert request.duration is None
    assert compose.decode_compose_request(b"{}").duration is compose.ComposeRequest().duration
