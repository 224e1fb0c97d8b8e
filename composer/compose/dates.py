"""Instants, user offsets (§5.2) and moment.js-style formatting (§5.3).

Everything is computed from the instant and the user's offset only, never from the host's
zone: the same request must give the same body on any machine (deliberate difference 15).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Final

__all__ = [
    "DEFAULT_LOG_DATE_FORMAT",
    "LocalTime",
    "format_local",
    "format_moment",
    "local_time",
    "parse_instant",
    "parse_offset_minutes",
    "utc_iso",
]

DEFAULT_LOG_DATE_FORMAT = "YYYY-MM-DD hh:mm:ss A"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_HHMM = re.compile(r"([+-])(\d\d)(\d\d)")
_COLON_OFFSET = re.compile(r"([+-])(\d{1,2}):(\d{2})|Z")


def parse_instant(value: object) -> datetime | None:
    """An aware UTC datetime, or ``None`` when the value is not a time (the item is then omitted).

    Accepts ISO-8601 date-times (no offset means UTC), ISO dates, epoch milliseconds as a
    number or a digit string, and ``datetime``/``date`` objects.
    """
    try:
        if isinstance(value, str):
            text = value.strip()
            if text.isascii() and text.isdigit():
                return _from_epoch_ms(int(text))
            parsed = datetime.fromisoformat(text)
            zone = parsed.tzinfo
            if zone is UTC:  # a "Z" suffix, the usual shape
                return parsed
            return parsed.replace(tzinfo=UTC) if zone is None else parsed.astimezone(UTC)
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _from_epoch_ms(value)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _from_epoch_ms(milliseconds: float) -> datetime | None:
    if not math.isfinite(milliseconds):
        return None
    return _EPOCH + timedelta(milliseconds=milliseconds)


def parse_offset_minutes(offset: object) -> int:
    """The user's UTC offset in minutes; anything unreadable means UTC (§5.2)."""
    if type(offset) is str:
        # The usual shape, and a user's offset repeats on every call they log.
        cached = _OFFSET_CACHE.get(offset)
        if cached is not None:
            return cached
    if offset is None or isinstance(offset, bool):
        return 0
    if isinstance(offset, int | float):
        return _number_offset(float(offset))
    if not isinstance(offset, str):
        return 0
    cached = _OFFSET_CACHE.get(offset)
    if cached is None:
        cached = _string_offset(offset)
        if len(_OFFSET_CACHE) >= 1024:
            _OFFSET_CACHE.clear()
        _OFFSET_CACHE[offset] = cached
    return cached


# Users' offsets are few and repeat on every call they log.
_OFFSET_CACHE: dict[str, int] = {}


def _string_offset(offset: str) -> int:
    text = offset.strip()
    if ":" in text or text == "Z":
        matches = list(_COLON_OFFSET.finditer(text))
        if not matches:
            return 0
        last = matches[-1]
        if last.group(0) == "Z":
            return 0
        minutes = int(last.group(2)) * 60 + int(last.group(3))
        return -minutes if last.group(1) == "-" else minutes
    hhmm = _HHMM.fullmatch(text)
    if hhmm:
        minutes = int(hhmm.group(2)) * 60 + int(hhmm.group(3))
        return -minutes if hhmm.group(1) == "-" else minutes
    if _NUMERIC.fullmatch(text):
        return _number_offset(float(text))
    return 0


def _number_offset(number: float) -> int:
    """Small numbers are hours (``-4``, ``5.5``), larger ones minutes (``330``), as moment reads them."""
    if not math.isfinite(number):
        return 0
    if abs(number) < 16:
        number *= 60
    return round(number)


@lru_cache(maxsize=256)
def _shift(minutes: int) -> timedelta:
    # Building a timedelta costs more than the addition it is for; offsets repeat.
    return timedelta(minutes=minutes)


class LocalTime:
    """An instant seen at a fixed offset: wall-clock fields plus what ``Z``/``x``/``X`` need."""

    __slots__ = ("instant", "offset_minutes", "wall")

    def __init__(self, instant: datetime, offset_minutes: int) -> None:
        self.instant = instant
        self.offset_minutes = offset_minutes
        # Shifting the UTC instant keeps tzinfo=UTC, so any offset works (no ±24 h limit).
        self.wall = instant + _shift(offset_minutes) if offset_minutes else instant


def local_time(instant: datetime, offset: object) -> LocalTime | None:
    """``None`` when the offset pushes the instant out of the representable calendar."""
    try:
        return LocalTime(instant, parse_offset_minutes(offset))
    except OverflowError:
        return None


def format_local(instant: datetime | None, offset: object, pattern: str) -> str | None:
    """``instant`` at the user's offset in a moment.js ``pattern``; ``None`` without an instant
    (or when the offset pushes it out of the calendar), so callers decide what a missing time means."""
    if instant is None:
        return None
    if pattern == DEFAULT_LOG_DATE_FORMAT:
        # Every call log of a user who kept the default: no LocalTime, no token walk.
        try:
            minutes = _OFFSET_CACHE.get(offset) if type(offset) is str else None
            if minutes is None:
                minutes = parse_offset_minutes(offset)
            return _default_format(instant + _shift(minutes) if minutes else instant)
        except OverflowError:  # as local_time: out of the calendar (or a number no float holds)
            return None
    moment = local_time(instant, offset)
    return format_moment(moment, pattern) if moment is not None else None


def utc_iso(instant: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ``, the timestamp shape connectors send to CRMs."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


# --- moment.js formatting -------------------------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_LOCALE_FORMATS = {
    "LTS": "h:mm:ss A",
    "LT": "h:mm A",
    "LLLL": "dddd, MMMM D, YYYY h:mm A",
    "LLL": "MMMM D, YYYY h:mm A",
    "LL": "MMMM D, YYYY",
    "L": "MM/DD/YYYY",
    "llll": "ddd, MMM D, YYYY h:mm A",
    "lll": "MMM D, YYYY h:mm A",
    "ll": "MMM D, YYYY",
    "l": "M/D/YYYY",
}
_TOKEN = re.compile(
    r"\[[^\]]*\]|\\.|LTS|LT|LLLL|LLL|LL|L|llll|lll|ll|l|YYYY|YY|Q|Mo|MMMM|MMM|MM|M|DDDD|DDDo|DDD|Do|DD|D"
    r"|dddd|ddd|dd|do|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|x|X|[\s\S]"
)

_Part = Callable[[LocalTime], str]


def _ordinal(number: int) -> str:
    if 11 <= number % 100 <= 13:
        return f"{number}th"
    return f"{number}{({1: 'st', 2: 'nd', 3: 'rd'}).get(number % 10, 'th')}"


def _hour12(t: LocalTime) -> int:
    return t.wall.hour % 12 or 12


def _weekday(t: LocalTime) -> int:
    return t.wall.isoweekday() % 7


def _day_of_year(t: LocalTime) -> int:
    return t.wall.timetuple().tm_yday


def _zone(t: LocalTime, separator: str) -> str:
    sign = "-" if t.offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(t.offset_minutes), 60)
    return f"{sign}{hours:02d}{separator}{minutes:02d}"


def _epoch_ms(t: LocalTime) -> int:
    delta = t.instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


_TOKENS: dict[str, _Part] = {
    "YYYY": lambda t: f"{t.wall.year:04d}",
    "YY": lambda t: f"{t.wall.year % 100:02d}",
    "Q": lambda t: str((t.wall.month - 1) // 3 + 1),
    "M": lambda t: str(t.wall.month),
    "Mo": lambda t: _ordinal(t.wall.month),
    "MM": lambda t: f"{t.wall.month:02d}",
    "MMM": lambda t: _MONTHS[t.wall.month - 1][:3],
    "MMMM": lambda t: _MONTHS[t.wall.month - 1],
    "D": lambda t: str(t.wall.day),
    "Do": lambda t: _ordinal(t.wall.day),
    "DD": lambda t: f"{t.wall.day:02d}",
    "DDD": lambda t: str(_day_of_year(t)),
    "DDDo": lambda t: _ordinal(_day_of_year(t)),
    "DDDD": lambda t: f"{_day_of_year(t):03d}",
    "d": lambda t: str(_weekday(t)),
    "do": lambda t: _ordinal(_weekday(t)),
    "dd": lambda t: _WEEKDAYS[_weekday(t)][:2],
    "ddd": lambda t: _WEEKDAYS[_weekday(t)][:3],
    "dddd": lambda t: _WEEKDAYS[_weekday(t)],
    "H": lambda t: str(t.wall.hour),
    "HH": lambda t: f"{t.wall.hour:02d}",
    "h": lambda t: str(_hour12(t)),
    "hh": lambda t: f"{_hour12(t):02d}",
    "k": lambda t: str(t.wall.hour or 24),
    "kk": lambda t: f"{t.wall.hour or 24:02d}",
    "m": lambda t: str(t.wall.minute),
    "mm": lambda t: f"{t.wall.minute:02d}",
    "s": lambda t: str(t.wall.second),
    "ss": lambda t: f"{t.wall.second:02d}",
    "S": lambda t: str(t.wall.microsecond // 100_000),
    "SS": lambda t: f"{t.wall.microsecond // 10_000:02d}",
    "SSS": lambda t: f"{t.wall.microsecond // 1000:03d}",
    "A": lambda t: "AM" if t.wall.hour < 12 else "PM",
    "a": lambda t: "am" if t.wall.hour < 12 else "pm",
    "Z": lambda t: _zone(t, ":"),
    "ZZ": lambda t: _zone(t, ""),
    "x": lambda t: str(_epoch_ms(t)),
    "X": lambda t: str(_epoch_ms(t) // 1000),
}


@lru_cache(maxsize=256)
def _compile(pattern: str) -> tuple[str | _Part, ...]:
    """Tokenise a moment format once; user formats repeat across every call they log."""
    parts: list[str | _Part] = []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if token in _LOCALE_FORMATS:
            parts.extend(_compile(_LOCALE_FORMATS[token]))
        elif token in _TOKENS:
            parts.append(_TOKENS[token])
        elif token.startswith("[") and token.endswith("]") and len(token) >= 2:
            parts.append(token[1:-1])
        elif token.startswith("\\") and len(token) == 2:
            parts.append(token[1])
        else:
            parts.append(token)
    merged: list[str | _Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


# Format specs (``:02d``) and ``isoformat`` cost several times a tuple lookup.
_TWO_DIGITS: Final = tuple(f"{number:02d}" for number in range(100))
_HOUR12: Final = tuple(_TWO_DIGITS[hour % 12 or 12] for hour in range(24))
_MERIDIEM: Final = ("AM",) * 12 + ("PM",) * 12


def _default_format(wall: datetime) -> str:
    """``YYYY-MM-DD hh:mm:ss A``, the default pattern every call log uses."""
    year = wall.year
    hour = wall.hour
    two = _TWO_DIGITS
    return (
        f"{year if year >= 1000 else f'{year:04d}'}-{two[wall.month]}-{two[wall.day]} "
        f"{_HOUR12[hour]}:{two[wall.minute]}:{two[wall.second]} {_MERIDIEM[hour]}"
    )


def format_moment(t: LocalTime, pattern: str) -> str:
    """Format with a moment.js pattern (§5.3): tokens are replaced, ``[text]`` and other characters kept."""
    if pattern == DEFAULT_LOG_DATE_FORMAT:
        return _default_format(t.wall)
    return "".join(part if isinstance(part, str) else part(t) for part in _compile(pattern))
