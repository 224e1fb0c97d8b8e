"""Appointment input parsing and the wire shape of a stored appointment (connectors.md §4.7).

Parsing never raises: bad input becomes a ``ValueError`` message the connector turns into a
``{successful: False, returnMessage}`` answer, because a refused appointment is a business
"no", not a CRM failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from connectors.local._store import Appointment, Attendee, Contact, iso_from_ms

__all__ = ["appointment_dict", "parse_contact_refs", "parse_date_range", "parse_duration", "parse_start"]


def parse_start(value: Any) -> int:
    """An ISO 8601 date-time (offset or ``Z``; naive means UTC) as epoch ms."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("startTimeUtc must be an ISO 8601 date-time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("startTimeUtc must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def parse_duration(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value <= 0:
        raise ValueError("durationMinutes must be a positive whole number")
    return int(value)


def parse_contact_refs(value: Any) -> list[Attendee]:
    """``[id | {id, type?, contactType?}]`` as attendees, duplicates dropped, order kept."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("contacts must be a list")
    attendees: list[Attendee] = []
    seen: set[str] = set()
    for ref in value:
        if isinstance(ref, Mapping):
            raw_id = ref.get("id")
            kind = ref.get("contactType") or ref.get("type") or "Contact"
        else:
            raw_id, kind = ref, "Contact"
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or str(raw_id).strip() == "":
            raise ValueError("each contact needs an id")
        contact_id = str(raw_id).strip()
        if contact_id not in seen:
            seen.add(contact_id)
            attendees.append(Attendee(contact_id, str(kind)))
    return attendees


def parse_date_range(value: Any) -> tuple[int, int] | None:
    """``{startDate, endDate}`` (inclusive ``YYYY-MM-DD``) as [start 00:00Z, end 23:59:59.999Z] ms."""
    if not value:
        return None
    if not isinstance(value, Mapping):
        raise ValueError("range must be an object with startDate and endDate")
    try:
        first = date.fromisoformat(str(value.get("startDate")))
        last = date.fromisoformat(str(value.get("endDate")))
    except ValueError:
        raise ValueError("startDate and endDate must be YYYY-MM-DD") from None
    if first > last:
        raise ValueError("startDate must not be after endDate")
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000) - 1


def appointment_dict(appointment: Appointment, contacts: Mapping[str, Contact]) -> dict[str, Any]:
    """The wire ``Appointment``; ``contacts`` resolves attendee names (missing → "")."""
    attendees = [
        {"id": a.id, "name": contacts[a.id].name if a.id in contacts else "", "type": a.type}
        for a in appointment.attendees
    ]
    first = attendees[0] if attendees else None
    return {
        "id": appointment.id,
        "thirdPartyAppointmentId": appointment.id,
        "title": appointment.title,
        "summary": appointment.summary,
        "description": appointment.summary,
        "startTimeUtc": iso_from_ms(appointment.start_at),
        "durationMinutes": appointment.duration_minutes,
        "status": appointment.status,
        "participantName": first["name"] if first else "",
        "contactId": first["id"] if first else "",
        "contactType": first["type"] if first else "",
        "attendees": attendees,
        "attendeeIds": [a["id"] for a in attendees],
    }
