"""§3.5 call-journey lines."""

from __future__ import annotations

import pytest

from composer.compose.journey import journey_lines, party_text


@pytest.mark.parametrize(
    ("party", "text"),
    [
        ({"name": "Alex", "phoneNumber": "+1", "extensionNumber": "101"}, "Alex, +1, ext 101"),
        ({"phoneNumber": "+1", "extensionNumber": "101"}, "+1, ext 101"),
        ({"phoneNumber": "+1"}, "+1"),
        ({"extensionNumber": 101}, "ext 101"),
        ({"name": "Alex"}, "Alex"),
        ({"name": "Alex\nAgent"}, "Alex Agent"),
        ({}, ""),
        (None, ""),
    ],
)
def test_party_text(party: object, text: str) -> None:
    assert party_text(party) == text


def test_first_leg_direction() -> None:
    assert journey_lines([{"direction": "Outbound", "from": {"name": "A"}, "to": {"name": "B"}}]) == ["Made call from A"]
    assert journey_lines([{"direction": "Inbound", "from": {"name": "A"}, "to": {"name": "B"}}]) == ["Received call at B"]


def test_transfer_party_and_duration() -> None:
    first = {"direction": "Inbound", "to": {"name": "Q"}}
    legs = [
        first,
        {"direction": "Outbound", "legType": "PstnToSip", "from": {"name": "F"}, "to": {"name": "T"}, "duration": 2},
        {"direction": "Outbound", "legType": "SipToPstn", "from": {"name": "F"}, "to": {"name": "T"}, "duration": "1"},
        {"direction": "Inbound", "from": {"name": "F"}, "to": {"name": "T"}, "duration": 2.5},
        {"direction": "Inbound", "to": {"name": "T"}, "duration": None},
        {"direction": "Inbound", "to": {"name": "T"}, "duration": "soon"},
    ]
    assert journey_lines(legs)[1:] == [
        "Transferred to T, duration: 2 seconds",
        "Transferred to F, duration: 1 second",
        "Transferred to T, duration: 2.5 seconds",
        "Transferred to T",
        "Transferred to T",
    ]
