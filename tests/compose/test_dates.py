"""§5.1-5.3: instants, user offsets and moment.js formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from composer.compose.dates import format_moment, local_time, parse_instant, parse_offset_minutes, utc_iso

START = parse_instant("2024-01-15T10:30:00Z")


@pytest.mark.parametrize(
    ("offset", "rendered"),
    [
        ("+05:30", "2024-01-15 16:00 +05:30"),
        ("-05:00", "2024-01-15 05:30 -05:00"),
        ("UTC+05:30", "2024-01-15 16:00 +05:30"),
        ("Z", "2024-01-15 10:30 +00:00"),
        ("+00:00", "2024-01-15 10:30 +00:00"),
        ("+0530", "2024-01-15 16:00 +05:30"),
        (-4, "2024-01-15 06:30 -04:00"),
        ("-4", "2024-01-15 06:30 -04:00"),
        (5.5, "2024-01-15 16:00 +05:30"),
        ("5.5", "2024-01-15 16:00 +05:30"),
        (15, "2024-01-16 01:30 +15:00"),
        (330, "2024-01-15 16:00 +05:30"),
        ("-300", "2024-01-15 05:30 -05:00"),
        (16, "2024-01-15 10:46 +00:16"),
        (None, "2024-01-15 10:30 +00:00"),
        ("", "2024-01-15 10:30 +00:00"),
        (0, "2024-01-15 10:30 +00:00"),
        ("0", "2024-01-15 10:30 +00:00"),
        ("abc", "2024-01-15 10:30 +00:00"),
        ("GMT-03:00 then +02:00", "2024-01-15 12:30 +02:00"),
    ],
)
def test_offsets(offset: object, rendered: str) -> None:
    assert START is not None
    moment = local_time(START, offset)
    assert moment is not None
    assert format_moment(moment, "YYYY-MM-DD HH:mm Z") == rendered


@pytest.mark.parametrize(
    ("pattern", "rendered"),
    [
        ("MM/DD/YYYY hh:mm A", "01/15/2024 05:30 AM"),
        ("DD/MM/YYYY HH:mm", "15/01/2024 05:30"),
        ("dddd, MMMM Do YYYY, h:mm:ss a", "Monday, January 15th 2024, 5:30:00 am"),
        ("YY/M/D H:m:s", "24/1/15 5:30:0"),
        ("x", "1705314600000"),
        ("X", "1705314600"),
        ("ZZ", "-0500"),
        ("[Logged at] HH:mm", "Logged at 05:30"),
        ("LLL", "January 15, 2024 5:30 AM"),
        ("LT", "5:30 AM"),
        ("LTS", "5:30:00 AM"),
        ("L", "01/15/2024"),
        ("LL", "January 15, 2024"),
        ("LLLL", "Monday, January 15, 2024 5:30 AM"),
        ("l", "1/15/2024"),
        ("ll", "Jan 15, 2024"),
        ("lll", "Jan 15, 2024 5:30 AM"),
        ("llll", "Mon, Jan 15, 2024 5:30 AM"),
        ("MMM d ddd dd", "Jan 1 Mon Mo"),
        ("Q Mo DDD DDDD k kk SSS", "1 1st 15 015 5 05 000"),
        ("YYYY-MM-DD hh:mm:ss A", "2024-01-15 05:30:00 AM"),
        ("[a]t", "at"),
        ("\\Y", "Y"),
    ],
)
def test_moment_tokens(pattern: str, rendered: str) -> None:
    assert START is not None
    moment = local_time(START, "-05:00")
    assert moment is not None
    assert format_moment(moment, pattern) == rendered


@pytest.mark.parametrize(("day", "suffix"), [(1, "st"), (2, "nd"), (3, "rd"), (4, "th"), (11, "th"), (12, "th"), (13, "th"), (21, "st"), (22, "nd"), (23, "rd"), (31, "st")])
def test_ordinals(day: int, suffix: str) -> None:
    moment = local_time(datetime(2024, 1, day, 12, tzinfo=UTC), None)
    assert moment is not None
    assert format_moment(moment, "Do") == f"{day}{suffix}"


def test_twelve_hour_clock_edges() -> None:
    midnight = local_time(datetime(2024, 1, 1, 0, 5, tzinfo=UTC), None)
    noon = local_time(datetime(2024, 1, 1, 12, 5, tzinfo=UTC), None)
    assert midnight is not None and noon is not None
    assert format_moment(midnight, "YYYY-MM-DD hh:mm:ss A k") == "2024-01-01 12:05:00 AM 24"
    assert format_moment(noon, "YYYY-MM-DD hh:mm:ss A k") == "2024-01-01 12:05:00 PM 12"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-15T10:30:00Z", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00.123Z", datetime(2024, 1, 15, 10, 30, 0, 123000, tzinfo=UTC)),
        ("2024-01-15T10:30:00+05:30", datetime(2024, 1, 15, 5, 0, tzinfo=UTC)),
        ("2024-01-15T10:30:00+0530", datetime(2024, 1, 15, 5, 0, tzinfo=UTC)),
        ("2024-01-15T10:30:00-05", datetime(2024, 1, 15, 15, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15", datetime(2024, 1, 15, tzinfo=UTC)),
        (1705314600000, datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("1705314600000", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        (datetime(2024, 1, 15, 10, 30), datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        (date(2024, 1, 15), datetime(2024, 1, 15, tzinfo=UTC)),
    ],
)
def test_parse_instant(value: object, expected: datetime) -> None:
    assert parse_instant(value) == expected


@pytest.mark.parametrize("value", ["Invalid date", "", None, True, "12:30", float("nan"), 10**20, [1]])
def test_unreadable_instants(value: object) -> None:
    assert parse_instant(value) is None


def test_out_of_range_offset_does_not_raise() -> None:
    assert local_time(datetime(9999, 12, 31, 23, tzinfo=UTC), 900) is None


def test_offset_minutes() -> None:
    assert parse_offset_minutes("+0530") == 330
    assert parse_offset_minutes(float("inf")) == 0
    assert parse_offset_minutes({"not": "an offset"}) == 0


def test_utc_iso() -> None:
    assert utc_iso(datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=UTC)) == "2024-01-15T10:30:00.123Z"
