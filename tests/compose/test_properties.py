"""Properties of §1: idempotent updates, foreign text survives, HTML carries no user markup."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.compose import COMPOSED_FORMATS, ComposeRequest, UserContext, compose_call_log

# User text without the characters every format's markers start with ("-", "*", "#", "<"),
# which is exactly the text §4.8 promises idempotency for; "$", "&", "\\" and quotes stay in.
SAFE = st.characters(
    codec="utf-8",
    exclude_categories=["Cs", "Cc"],
    exclude_characters="-*#<",
)
WORDS = st.text(SAFE, min_size=1, max_size=25).filter(lambda text: text.strip() == text and text != "")
LINES = st.lists(WORDS, min_size=1, max_size=4).map("\n".join)
CRLF_LINES = st.lists(WORDS, min_size=1, max_size=4).map("\r\n".join)
MULTI = st.one_of(LINES, CRLF_LINES, LINES.map(lambda text: text + "\n"))
URL = st.sampled_from(["https://example.com/r.mp3", "pending", "HTTP://EXAMPLE.COM/x?a=1&b=2", "javascript:x"])
OPTIONAL = {"probability": 0.6}
SETTING_KEYS = ("addCallSessionId", "addRingCentralUserName", "addRingCentralNumber", "addCallLogContactNumber")

PARTY = st.fixed_dictionaries(
    {},
    optional={"name": WORDS, "phoneNumber": st.from_regex(r"\+1[0-9]{10}", fullmatch=True), "extensionNumber": st.sampled_from(["101", "7"])},
)  # fmt: skip
LEG = st.fixed_dictionaries(
    {"direction": st.sampled_from(["Inbound", "Outbound"]), "to": PARTY, "from": PARTY},
    optional={"duration": st.integers(0, 5000), "legType": st.just("PstnToSip")},
)


@st.composite
def requests(draw: st.DrawFn, log_format: str) -> dict[str, Any]:
    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(strategy) if draw(st.booleans()) else None

    fields: dict[str, Any] = {
        "logFormat": log_format,
        "callLog": {
            "sessionId": maybe(st.from_regex(r"[0-9]{4,8}", fullmatch=True)),
            "direction": draw(st.sampled_from(["Inbound", "Outbound"])),
            "from": draw(PARTY),
            "to": draw(PARTY),
            "legs": draw(st.lists(LEG, max_size=3)),
        },
        "contactInfo": {"phoneNumber": maybe(st.from_regex(r"\+1[0-9]{10}", fullmatch=True))},
        "user": UserContext(
            timezoneOffset=draw(st.sampled_from([None, "-05:00", "+0530", 5.5, -300])),
            userSettings={key: {"value": draw(st.booleans())} for key in SETTING_KEYS},
        ),
        "note": maybe(MULTI),
        "subject": maybe(WORDS),
        "startTime": maybe(st.sampled_from(["2024-03-05T14:07:09.000Z", 1705314600000, "bad"])),
        "result": maybe(WORDS),
        "recordingLink": maybe(URL),
        "voicemailLink": maybe(URL),
        "aiNote": maybe(MULTI),
        "transcript": maybe(MULTI),
        "ringSenseTranscript": maybe(MULTI),
        "ringSenseSummary": maybe(MULTI),
        "ringSenseAIScore": maybe(st.integers(0, 100)),
        "ringSenseBulletedSummary": maybe(MULTI),
        "ringSenseLink": maybe(URL),
    }
    if draw(st.booleans()):
        fields["duration"] = draw(st.one_of(st.none(), st.integers(0, 100_000), st.floats(0, 1e5, allow_nan=False)))
    return fields


FOREIGN = {"text/plain": "Edited in CRM \u00e9", "text/markdown": "Edited in CRM \u00e9", "text/html": "<p>Edited &amp; kept</p>"}
SUMMARY = {"text/plain": "- Summary: ", "text/markdown": "**Summary**: ", "text/html": "<li><b>Summary</b>: "}
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compose(fields: dict[str, Any], body: str = "") -> str:
    return compose_call_log(ComposeRequest(**{**fields, "existingBody": body}))


@PROPERTY_SETTINGS
@given(data=st.data(), log_format=st.sampled_from(COMPOSED_FORMATS))
def test_updates_are_idempotent(data: st.DataObject, log_format: str) -> None:
    created = compose(data.draw(requests(log_format)))
    update = data.draw(requests(log_format))
    once = compose(update, created)
    assert compose(update, once) == once


@PROPERTY_SETTINGS
@given(data=st.data(), log_format=st.sampled_from(COMPOSED_FORMATS))
def test_foreign_text_keeps_its_place(data: st.DataObject, log_format: str) -> None:
    first = data.draw(requests(log_format))
    first["subject"] = "Original subject"
    created = compose(first)
    summary = SUMMARY[log_format]
    line_end = created.index("</li>" if log_format == "text/html" else "\n", created.index(summary))
    line_end += len("</li>") if log_format == "text/html" else 1
    foreign = FOREIGN[log_format] + ("" if log_format == "text/html" else "\n")
    body = created[:line_end] + foreign + created[line_end:]
    update = data.draw(requests(log_format))
    once = compose(update, body)
    assert once.count(foreign) == 1
    subject_item = once[once.index(summary) :]
    closing = "</li>" if log_format == "text/html" else "\n"
    assert subject_item[subject_item.index(closing) + len(closing) :].startswith(foreign)
    assert compose(update, once) == once


OWN_TAGS = re.compile(
    r'</?(?:b|li|div)>|<br>|<a target="_blank" href="[^"<>]*">open</a>'
)
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#039);")
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@PROPERTY_SETTINGS
@given(
    note=ANY_TEXT, subject=ANY_TEXT, transcript=ANY_TEXT, link=ANY_TEXT, result=ANY_TEXT, name=ANY_TEXT,
    existing=st.sampled_from(["", "<li><b>Result</b>: old</li>", "<b>Agent notes</b><br>x<br><br><b>Call details</b><br>"]),
)  # fmt: skip
def test_html_output_has_no_user_markup(
    note: str, subject: str, transcript: str, link: str, result: str, name: str, existing: str
) -> None:
    settings_on = UserContext(userSettings={key: {"value": True} for key in SETTING_KEYS})
    body = compose_call_log(
        ComposeRequest(
            logFormat="text/html",
            existingBody=existing,
            note=note,
            subject=subject,
            transcript=transcript,
            result=result,
            recordingLink=link,
            ringSenseLink=link,
            aiNote=note,
            callLog={"direction": "Outbound", "from": {"name": name, "phoneNumber": name}, "legs": [{"to": {"name": name}}]},
            user=settings_on,
        )
    )
    without_own_markup = OWN_TAGS.sub("", body.replace(existing, "", 1) if existing.startswith("<li>") else body)
    assert "<" not in without_own_markup and ">" not in without_own_markup
    assert '"' not in without_own_markup and "'" not in without_own_markup
    assert "&" not in ENTITY.sub("", without_own_markup)
