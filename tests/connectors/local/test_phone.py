from __future__ import annotations

import pytest

from connectors.local._phone import PhoneKeys, phone_keys


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("+16505550100", "US", PhoneKeys("+16505550100", "16505550100")),
        ("(650) 555-0100", "US", PhoneKeys("+16505550100", "6505550100")),
        ("020 7946 0958", "GB", PhoneKeys("+442079460958", "02079460958")),
        ("020 7946 0958", "US", PhoneKeys("", "02079460958")),
        ("12345", "US", PhoneKeys("", "12345")),
        ("call me", "US", PhoneKeys("", "")),
        ("", "US", PhoneKeys("", "")),
        (None, "US", PhoneKeys("", "")),
        (16505550100, "US", PhoneKeys("+16505550100", "16505550100")),
        ("+1" + "9" * 400, "US", PhoneKeys("", "1" + "9" * 248)),
    ],
)
def test_phone_keys(number: object, region: str, expected: PhoneKeys) -> None:
    assert phone_keys(number, region) == expected
