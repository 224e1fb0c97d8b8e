"""Validation of appointment requests (spec §15.1), shared by the HTTP routes and the MCP tools.

Each ``parse_*`` function either returns the value the connector receives or raises
``ValidationFailed(title, details)``, whose details name every offending field by its path
in the submitted body (``payload.startTimeUtc``, ``contacts.1.id``...). Nothing reaches a
connector before its input has passed here, so an invalid request never writes anything.

The rules follow the reference contract: objects are closed (an unknown key is refused),
times carry an explicit UTC offset, ids are positive integers or their decimal text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from composer.services.errors import ValidationFailed

__all__ = [
    "CREATE_TITLE",
    "PATCH_TITLE",
    "RANGE_TITLE",
    "STATUS_TITLE",
    "DateRange",
    "parse_create",
    "parse_patch",
    "parse_range",
    "parse_status",
]

RANGE_TITLE = "Invalid appointment date range"
CREATE_TITLE = "Invalid appointment create request"
PATCH_TITLE = "Invalid appointment patch request"
STATUS_TITLE = "Invalid appointment status request"

DateRange = dict[str, str]
Details = list[dict[str, str]]

_MAX_SAFE_INTEGER = 2**53 - 1
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$"
)
_POSITIVE_ID = re.compile(r"^[1-9]\d*$")
_CREATE_KEYS = ("title", "summary", "startTimeUtc", "durationMinutes", "contacts")
_PATCH_CONTENT_KEYS = ("title", "summary", "contacts")
_PATCH_TIME_KEYS = ("startTimeUtc", "startTime")


def _issue(path: str, message: str) -> dict[str, str]:
    return {"path": path, "message": message}


def _join(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def _is_calendar_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_offset_datetime(value: Any) -> bool:
    if not isinstance(value, str) or not _DATETIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_positive_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value <= _MAX_SAFE_INTEGER
    return isinstance(value, str) and bool(_POSITIVE_ID.match(value))


def _positive_minutes(value: Any) -> int | None:
    """Whole minutes > 0; JSON ``30.0`` counts as 30 (JavaScript has no separate integers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    minutes = int(value)
    return minutes if 0 < minutes <= _MAX_SAFE_INTEGER else None


def parse_range(start_date: str | None, end_date: str | None) -> DateRange | None:
    """``{startDate, endDate}`` (inclusive ``YYYY-MM-DD``), or None when neither is given."""
    if not start_date and not end_date:
        return None
    details: Details = []
    for name, value in (("startDate", start_date), ("endDate", end_date)):
        if not value:
            details.append(_issue(name, "startDate and endDate must be given together"))
        elif not _is_calendar_date(value):
            details.append(_issue(name, "Must be a calendar date in YYYY-MM-DD form"))
    if not details and start_date and end_date and start_date > end_date:
        details.append(_issue("startDate", "startDate must not be after endDate"))
    if details:
        raise ValidationFailed(RANGE_TITLE, details)
    return {"startDate": str(start_date), "endDate": str(end_date)}


def _check_contacts(value: Any, path: str, details: Details) -> None:
    if not isinstance(value, list):
        details.append(_issue(path, "Must be a list of contact ids or {id, type?, contactType?} objects"))
        return
    for index, ref in enumerate(value):
        item = _join(path, index)
        if isinstance(ref, Mapping):
            for key in ref:
                if key not in ("id", "type", "contactType"):
                    details.append(_issue(_join(item, str(key)), "Unknown field"))
            if not _is_positive_id(ref.get("id")):
                details.append(_issue(_join(item, "id"), "Must be a positive integer id or its decimal text"))
            for key in ("type", "contactType"):
                if key in ref and not isinstance(ref[key], str):
                    details.append(_issue(_join(item, key), "Must be a string"))
        elif not _is_positive_id(ref):
            details.append(_issue(item, "Must be a positive integer id, its decimal text, or {id, type?}"))


def _check_text_fields(body: Mapping[str, Any], prefix: str, details: Details) -> None:
    if "title" in body and (not isinstance(body["title"], str) or not body["title"]):
        details.append(_issue(_join(prefix, "title"), "Must be a non-empty string"))
    if "summary" in body and not isinstance(body["summary"], str):
        details.append(_issue(_join(prefix, "summary"), "Must be a string"))
    if "contacts" in body:
        _check_contacts(body["contacts"], _join(prefix, "contacts"), details)


def _unwrap(body: Any, key: str) -> tuple[Any, str]:
    """The canonical ``{key: X}`` wrapper, or the deprecated bare form."""
    if isinstance(body, Mapping) and set(body) == {key}:
        return body[key], key
    return body, ""


def _unknown_keys(body: Mapping[str, Any], allowed: tuple[str, ...], prefix: str, details: Details) -> None:
    for key in body:
        if key not in allowed:
            details.append(_issue(_join(prefix, str(key)), "Unknown field"))


def parse_create(body: Any) -> dict[str, Any]:
    """The ``payload`` for ``createAppointment`` from ``{payload: P}`` or a bare ``P``."""
    payload, prefix = _unwrap(body, "payload")
    if not isinstance(payload, Mapping):
        raise ValidationFailed(CREATE_TITLE, [_issue(prefix, "Must be an object")])
    details: Details = []
    _unknown_keys(payload, _CREATE_KEYS, prefix, details)
    for key in ("title", "summary", "startTimeUtc", "durationMinutes"):
        if key not in payload:
            details.append(_issue(_join(prefix, key), "Required"))
    _check_text_fields(payload, prefix, details)
    if "startTimeUtc" in payload and not _is_offset_datetime(payload["startTimeUtc"]):
        details.append(_issue(_join(prefix, "startTimeUtc"), "Must be an ISO 8601 date-time with a UTC offset"))
    minutes = _positive_minutes(payload.get("durationMinutes"))
    if "durationMinutes" in payload and minutes is None:
        details.append(_issue(_join(prefix, "durationMinutes"), "Must be a whole number of minutes greater than 0"))
    if details:
        raise ValidationFailed(CREATE_TITLE, details)
    parsed = dict(payload)
    parsed["durationMinutes"] = minutes
    return parsed


def parse_patch(body: Any) -> dict[str, Any]:
    """The ``patchBody`` for ``updateAppointment`` from ``{patch: X}`` or a bare ``X``.

    X changes any of title/summary/contacts, and/or reschedules with ``startTimeUtc`` (or the
    deprecated ``startTime``) together with ``durationMinutes``.
    """
    patch, prefix = _unwrap(body, "patch")
    if not isinstance(patch, Mapping):
        raise ValidationFailed(PATCH_TITLE, [_issue(prefix, "Must be an object")])
    details: Details = []
    known = (*_PATCH_CONTENT_KEYS, *_PATCH_TIME_KEYS, "durationMinutes")
    _unknown_keys(patch, known, prefix, details)
    if not any(key in patch for key in known):
        details.append(_issue(prefix, "Give at least one of title, summary, contacts, or startTimeUtc with durationMinutes"))
    _check_text_fields(patch, prefix, details)
    starts = [key for key in _PATCH_TIME_KEYS if key in patch]
    if len(starts) > 1:
        details.append(_issue(_join(prefix, "startTime"), "Give startTimeUtc or the deprecated startTime, not both"))
    if starts and "durationMinutes" not in patch:
        details.append(_issue(_join(prefix, "durationMinutes"), "Required together with " + starts[0]))
    if "durationMinutes" in patch and not starts:
        details.append(_issue(_join(prefix, "startTimeUtc"), "Required together with durationMinutes"))
    for key in starts:
        if not _is_offset_datetime(patch[key]):
            details.append(_issue(_join(prefix, key), "Must be an ISO 8601 date-time with a UTC offset"))
    minutes = _positive_minutes(patch.get("durationMinutes"))
    if "durationMinutes" in patch and minutes is None:
        details.append(_issue(_join(prefix, "durationMinutes"), "Must be a whole number of minutes greater than 0"))
    if details:
        raise ValidationFailed(PATCH_TITLE, details)
    parsed = dict(patch)
    if minutes is not None:
        parsed["durationMinutes"] = minutes
    return parsed


def parse_status(body: Any) -> dict[str, str]:
    """``{status}`` as the ``patchBody`` of ``updateAppointment``, lower-cased."""
    if not isinstance(body, Mapping):
        raise ValidationFailed(STATUS_TITLE, [_issue("", "Must be an object with a status")])
    details: Details = []
    _unknown_keys(body, ("status",), "", details)
    status = body.get("status")
    if not isinstance(status, str) or not status:
        details.append(_issue("status", "Must be a non-empty string"))
    if details:
        raise ValidationFailed(STATUS_TITLE, details)
    return {"status": str(status).lower()}
