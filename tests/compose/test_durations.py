"""§5.4 duration wording."""

from __future__ import annotations

import pytest

from composer.compose.durations import describe_duration


@pytest.mark.parametrize(
    ("value", "wording"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (59.5, "59.5 seconds"),
        (60, "1 minute"),
        (60.5, "1 minute, 0.5 seconds"),
        (61, "1 minute, 1 second"),
        (90, "1 minute, 30 seconds"),
        ("90", "1 minute, 30 seconds"),
        (120, "2 minutes"),
        (3599, "59 minutes, 59 seconds"),
        (3600, "1 hour"),
        (3601, "1 hour, 1 second"),
        (3660, "1 hour, 1 minute"),
        (3661, "1 hour, 1 minute, 1 second"),
        (7322, "2 hours, 2 minutes, 2 seconds"),
        (9045, "2 hours, 30 minutes, 45 seconds"),
        (86399, "23 hours, 59 minutes, 59 seconds"),
        (86400, "24 hours"),
        ("", "0 seconds"),
        ("   ", "0 seconds"),
        (None, "0 seconds"),
        (-60, "0 seconds"),
        (-1.5, "0 seconds"),
        ("pending", "pending"),
        ("12 seconds", "12 seconds"),
        (1.0, "1 second"),
        (" 61 ", "1 minute, 1 second"),
        (True, "true"),
    ],
)
def test_wording(value: object, wording: str) -> None:
    assert describe_duration(value) == wording
