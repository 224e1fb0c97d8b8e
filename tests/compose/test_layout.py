"""The layout fast path (layout.py) gives exactly what the general recognisers give.

Bodies come from the composer itself (where the fast path applies), with values full of
marker-like text, line breaks and markup, and then from small edits of those bodies (where it
must step aside). Every span, value bound and flag must agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.compose import (
    COMPOSED_FORMATS,
    ComposeRequest,
    UserContext,
    compose_call_log,
    html,
    markdown,
    plain,
)
from composer.compose.document import Parsed

from .builders import REC, base, inbound, life

MODULES: dict[str, Any] = {"text/plain": plain, "text/markdown": markdown, "text/html": html}
TRICKY = [
    "- Note: ", "- Summary: ", "- AI Note:", "- Call journey:", "--- END", "--- JOURNEY END", "- Duration: 5",
    "**Summary**: ", "**Result**:", "### AI Note", "### Transcript", "## Agent notes", "## Call details", "#", "*",
    "<li>", "<b>Result</b>: ", "<div>", "</div>", "<br>", "</li>", "<a href='x'>", "&", '"', "'",
    "\n", "\r\n", "\r", " ", "\t", "-", "- ", "x", "Pat: Hi", "é",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), max_size=5).map("".join)
VALUE = st.one_of(st.none(), TEXT, st.integers(0, 5000))
SETTINGS_ON = {
    key: {"value": True}
    for key in ("addCallSessionId", "addRingCentralUserName", "addRingCentralNumber", "addCallLogContactNumber")
}
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def requests(draw: st.DrawFn, log_format: str) -> ComposeRequest:
    party = st.fixed_dictionaries({}, optional={"name": VALUE, "phoneNumber": VALUE, "extensionNumber": VALUE})
    fields: dict[str, Any] = {
        "logFormat": log_format,
        "callLog": {
            "direction": draw(st.sampled_from(["Inbound", "Outbound"])),
            "sessionId": draw(VALUE),
            "to": draw(party),
            "from": draw(party),
            "legs": draw(st.lists(st.fixed_dictionaries({"to": party, "from": party}), max_size=2)),
        },
        "contactInfo": {"phoneNumber": draw(VALUE)},
        "user": UserContext(timezoneOffset="-05:00", userSettings=SETTINGS_ON if draw(st.booleans()) else {}),
        "startTime": draw(st.sampled_from([None, "2024-03-05T14:07:09.000Z"])),
    }
    for name in (
        "note", "subject", "result", "recordingLink", "voicemailLink", "aiNote", "transcript",
        "ringSenseTranscript", "ringSenseSummary", "ringSenseAIScore", "ringSenseBulletedSummary", "ringSenseLink",
    ):  # fmt: skip
        fields[name] = draw(VALUE)
    if draw(st.booleans()):
        fields["duration"] = draw(st.integers(0, 5000))
    return ComposeRequest(**fields)


@st.composite
def bodies(draw: st.DrawFn, log_format: str) -> str:
    body = ""
    for _ in range(draw(st.integers(1, 2))):
        request = draw(requests(log_format))
        body = compose_call_log(ComposeRequest(**{**_fields(request), "existingBody": body}))
    if draw(st.booleans()):
        position = draw(st.integers(0, len(body)))
        body = body[:position] + draw(st.sampled_from(TRICKY)) + body[position:]
    return body


def _fields(request: ComposeRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in request.__struct_fields__}


def described(parsed: Parsed) -> list[tuple[Any, ...]]:
    return [
        (span.key, span.start, span.end, span.value_start, span.value_end, span.degraded, span.glued_next)
        for span in parsed.spans
    ]


def assert_agrees(log_format: str, body: str) -> None:
    module = MODULES[log_format]
    fast, general = module._layout().parse(body), module._scan(body)
    if fast is None:
        return
    assert described(fast) == described(general)
    assert fast.list_end == general.list_end
    for span in general.spans:
        assert fast.text_of(span.key) == general.text_of(span.key)
        found, expected = fast.find(span.key), general.find(span.key)
        assert found is not None and expected is not None
        assert (found.start, found.end, found.value_start, found.value_end) == (
            expected.start, expected.end, expected.value_start, expected.value_end
        )


@PROPERTY_SETTINGS
@given(data=st.data(), log_format=st.sampled_from(COMPOSED_FORMATS))
def test_layout_agrees_with_the_general_recogniser(data: st.DataObject, log_format: str) -> None:
    assert_agrees(log_format, data.draw(bodies(log_format)))


@pytest.mark.parametrize("log_format", COMPOSED_FORMATS)
def test_the_composers_own_bodies_take_the_fast_path(log_format: str) -> None:
    requests = [
        base(log_format),
        inbound(log_format, note="n", aiNote="a\nb", transcript="t", recordingLink=REC, ringSenseAIScore=5),
        life(log_format, note="Asked about renewal.\nCall back Friday.", ringSenseBulletedSummary="- a\n- b"),
        life(log_format, recordingLink="pending", callLog={"direction": "Inbound", "legs": [{"to": {"name": "Q"}}]}),
    ]
    for request in requests:
        body = compose_call_log(request)
        assert MODULES[log_format]._layout().parse(body) is not None, body
        assert_agrees(log_format, body)


@pytest.mark.parametrize(
    ("log_format", "body"),
    [
        ("text/plain", "- Summary: s\nEdited in CRM\n"),
        ("text/plain", "- Note: n\n- Summary: a - Duration: 5\n"),
        ("text/plain", "- Note: n\n\n"),
        ("text/markdown", "Edited in CRM\n**Summary**: s\n"),
        ("text/markdown", "**Summary**: a**Result**: r\n"),
        ("text/html", "<li><b>Summary</b>: s</li><p>Edited</p>"),
        ("text/html", "<LI><b>Summary</b>: s</LI>"),
    ],
)
def test_edited_or_legacy_bodies_take_the_general_path(log_format: str, body: str) -> None:
    assert MODULES[log_format]._layout().parse(body) is None
