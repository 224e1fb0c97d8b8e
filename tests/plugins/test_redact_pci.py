"""plugins/redact_pci.py: Luhn-checked card numbers and SSNs never reach the CRM."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from composer.pipeline.runner import Pipeline, PluginAborted
from tests.pipeline._helpers import call_event, context, message_event, spec_of
from tests.plugins._load import load_plugin

pci = load_plugin("redact_pci")
DEFAULT = pci.RedactConfig()
CARD = "[card number redacted]"
SSN = "[SSN redacted]"


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the check digit that makes it Luhn-valid."""
    for check in "0123456789":
        if pci.is_luhn_valid([int(d) for d in prefix + check]):
            return prefix + check
    raise AssertionError("unreachable")


def redact(text: str, config: Any = DEFAULT) -> str:
    result: str = pci.redact_text(text, config)
    return result


@pytest.mark.parametrize(
    "card",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111 - 1111 - 1111 - 1111",
        "5555 5555 5555 4444",
        "3782 822463 10005",  # Amex, 15 digits in 4-6-5 groups
        "6011111111111117",
        "4222222222222",  # 13 digits
        luhn_complete("4" * 18),  # 19 digits
        "4111\u00a01111\u00a01111\u00a01111",  # no-break spaces
        "4111\u20131111\u20131111\u20131111",  # en dashes
        "\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",  # full-width
    ],
)
def test_valid_card_numbers_are_redacted(card: str) -> None:
    assert redact(f"card is {card}, thanks") == f"card is {CARD}, thanks"


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # Luhn fails
        luhn_complete("4" * 11),  # 12 digits: too short
        luhn_complete("4" * 19),  # 20 digits: too long
        "41111111111111111111111111",  # a long id, no separators
        "call me on +1 650 555 0100",
        "order 2024-01-15 at 10:30",
        "",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_the_card_inside_a_longer_digit_run_is_found_and_the_rest_kept() -> None:
    text = "reach 555 1234 4111 1111 1111 1111 today"
    assert redact(text) == f"reach 555 1234 {CARD} today"


def test_two_cards_in_one_text() -> None:
    assert redact("4111111111111111 and 5555-5555-5555-4444") == f"{CARD} and {CARD}"


def test_keep_last4() -> None:
    config = pci.RedactConfig(keep_last4=True)
    assert redact("pay with 4111 1111 1111 1111", config) == f"pay with {CARD} …1111"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ssn 123-45-6789.", f"ssn {SSN}."),
        ("123 45 6789", SSN),
        ("SSN: 123456789", f"SSN: {SSN}"),
        ("social security number is 123456789", f"social security number is {SSN}"),
        ("000-12-3456", "000-12-3456"),  # invalid area
        ("666-12-3456", "666-12-3456"),
        ("912-12-3456", "912-12-3456"),
        ("123-00-4567", "123-00-4567"),  # invalid group
        ("123-45-0000", "123-45-0000"),  # invalid serial
        ("123-45 6789", "123-45 6789"),  # mixed separators: not an SSN
        ("ticket 123456789", "ticket 123456789"),  # nine digits without a label
    ],
)
def test_ssns(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_ssn_redaction_can_be_turned_off() -> None:
    assert redact("123-45-6789", pci.RedactConfig(redact_ssn=False)) == "123-45-6789"


def test_large_texts_are_linear() -> None:
    text = ("word 12 34 5678 " * 20000) + "4111 1111 1111 1111"
    started = time.perf_counter()
    assert redact(text).endswith(CARD)
    assert time.perf_counter() - started < 2


async def test_every_call_text_is_redacted() -> None:
    secret = "4111 1111 1111 1111"
    event = call_event(
        note=f"n {secret}",
        subject=f"s {secret}",
        ai_note=f"a {secret}",
        transcript=f"t 123-45-6789 {secret}",
        ring_sense_transcript=secret,
        ring_sense_summary=secret,
        ring_sense_bulleted_summary=f"- {secret}",
        call_log={"sessionId": "s-1", "customSubject": f"s {secret}"},
    )
    changed = await pci.redact_pci(event, context(), DEFAULT)
    assert changed is not None
    encoded = msgspec.json.encode(changed).decode()
    assert "4111" not in encoded and "6789" not in encoded
    assert changed.note == f"n {CARD}" and changed.transcript == f"t {SSN} {CARD}"
    assert changed.call_log["customSubject"] == f"s {CARD}"


async def test_sms_texts_are_redacted_and_clean_events_are_unchanged() -> None:
    event = message_event(messages=[{"id": 1, "subject": "my card 4111111111111111"}, {"id": 2, "subject": "ok"}])
    changed = await pci.redact_pci(event, context(), DEFAULT)
    assert changed is not None and changed.messages == [{"id": 1, "subject": f"my card {CARD}"}, {"id": 2, "subject": "ok"}]
    assert event.messages[0]["subject"] == "my card 4111111111111111"  # the input is not mutated
    assert await pci.redact_pci(call_event(note="nothing to hide"), context(), DEFAULT) is None
    assert await pci.redact_pci(message_event(), context(), DEFAULT) is None


async def test_through_the_pipeline_a_failure_aborts_instead_of_passing_text_through() -> None:
    pipeline = Pipeline([spec_of(pci.redact_pci)])
    bad = {"plugin_redact_pci": {"value": {"config": {"keep_last4": {"value": "sometimes"}}}}}
    with pytest.raises(PluginAborted) as info:
        await pipeline.prepare(call_event(note="4111 1111 1111 1111"), context=context(user_settings=bad))
    assert info.value.plugin == "redact_pci"
    prepared = await pipeline.prepare(call_event(note="4111 1111 1111 1111"), context=context())
    assert prepared.event.note == CARD and prepared.applied == ["redact_pci"]


def test_it_is_declared_to_abort_and_to_run_early() -> None:
    spec = spec_of(pci.redact_pci)
    assert (spec.stage.name, spec.order, spec.on_error) == ("TRANSFORM", 10, "abort")
    assert spec.applies_to == {"call.create", "call.update", "message.create"}


def test_when_a_neighbouring_window_also_passes_nothing_of_the_card_is_left() -> None:
    text = "ref 6789 4111 1111 1111 1111"  # "6789 4111 1111 1111" passes the Luhn check too
    assert pci.is_luhn_valid([int(d) for d in "6789411111111111"])
    assert redact(text) == f"ref {CARD}"


def test_an_ssn_next_to_a_card_is_masked_as_an_ssn() -> None:
    assert redact("123-45-6789 4111 1111 1111 1111") == f"{SSN} {CARD}"


@given(
    body=st.lists(st.integers(0, 9), min_size=15, max_size=15),
    separator=st.sampled_from(["", " ", "-", " - "]),
    before=st.sampled_from(["", "call 650 555 0100 then ", "ref 42 ", "12 34 "]),
    after=st.sampled_from(["", " exp 12 25", " and 987", "."]),
)
def test_no_valid_card_survives_whatever_surrounds_it(body: list[int], separator: str, before: str, after: str) -> None:
    card = luhn_complete("".join(map(str, body)))
    written = separator.join(card[i : i + 4] for i in range(0, 16, 4))
    redacted = redact(f"{before}{written}{after}")
    squeezed = "".join(ch for ch in redacted if ch.isdigit())
    assert card not in squeezed
    assert card[:12] not in squeezed  # not even most of it
