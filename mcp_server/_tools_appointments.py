"""Appointment tools: listAppointments, createAppointment, updateAppointment, confirmAppointment,
cancelAppointment (spec §15.1 services; the same validation as the HTTP routes)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations
from pydantic import Field

from composer.services import appointments
from mcp_server._deps import deps_of
from mcp_server._errors import require_success, service_errors
from mcp_server._schemas import AppointmentListResult, AppointmentResult, ContactRef

__all__ = ["tools"]

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=True)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
_CHANGE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)

AppointmentId = Annotated[str, Field(min_length=1, description="The appointment's id, as returned by listAppointments.")]
StartTimeUtc = Annotated[
    str, Field(description="Start as ISO 8601 with a UTC offset, e.g. 2026-07-20T15:00:00Z or 2026-07-20T17:00:00+02:00.")
]
DurationMinutes = Annotated[int, Field(gt=0, description="Length in whole minutes.")]
Contacts = Annotated[
    list[ContactRef | int | str] | None,
    Field(description="Attendees: contact ids (from findContactByPhone) or {id, type} objects."),
]


def _contact_refs(values: list[ContactRef | int | str]) -> list[Any]:
    return [dict(value) if isinstance(value, dict) else value for value in values]


async def list_appointments(
    ctx: Context[Any, Any],
    startDate: Annotated[str | None, Field(description="First day to include, YYYY-MM-DD (with endDate).")] = None,
    endDate: Annotated[str | None, Field(description="Last day to include, YYYY-MM-DD (with startDate).")] = None,
) -> AppointmentListResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await appointments.list_appointments(rt, caller, start_date=startDate, end_date=endDate)
    answer = require_success(envelope, failure="Could not list appointments")
    return {"successful": True, "appointments": answer.get("appointments") or []}


async def create_appointment(
    ctx: Context[Any, Any],
    title: Annotated[str, Field(min_length=1, description="Short title of the appointment.")],
    startTimeUtc: StartTimeUtc,
    durationMinutes: DurationMinutes,
    summary: Annotated[str, Field(description="Agenda or description (may be empty).")] = "",
    contacts: Contacts = None,
) -> AppointmentResult:
    rt, caller = deps_of(ctx).context()
    payload: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "startTimeUtc": startTimeUtc,
        "durationMinutes": durationMinutes,
    }
    if contacts is not None:
        payload["contacts"] = _contact_refs(contacts)
    with service_errors():
        envelope = await appointments.create_appointment(rt, caller, {"payload": payload})
    return require_success(envelope, failure="The CRM did not create the appointment")  # type: ignore[return-value]


async def update_appointment(
    ctx: Context[Any, Any],
    appointmentId: AppointmentId,
    title: Annotated[str | None, Field(description="New title.")] = None,
    summary: Annotated[str | None, Field(description="New agenda or description.")] = None,
    contacts: Annotated[
        list[ContactRef | int | str] | None, Field(description="New attendee list; replaces the current one.")
    ] = None,
    startTimeUtc: Annotated[str | None, Field(description="New start (ISO 8601 with offset); needs durationMinutes.")] = None,
    durationMinutes: Annotated[int | None, Field(gt=0, description="New length in minutes; needs startTimeUtc.")] = None,
) -> AppointmentResult:
    rt, caller = deps_of(ctx).context()
    given = {"title": title, "summary": summary, "startTimeUtc": startTimeUtc, "durationMinutes": durationMinutes}
    patch: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    if contacts is not None:
        patch["contacts"] = _contact_refs(contacts)
    with service_errors():
        envelope = await appointments.update_appointment(rt, caller, appointmentId, {"patch": patch})
    return require_success(envelope, failure="The CRM did not update the appointment")  # type: ignore[return-value]


async def confirm_appointment(ctx: Context[Any, Any], appointmentId: AppointmentId) -> AppointmentResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await appointments.confirm_appointment(rt, caller, appointmentId)
    return require_success(envelope, failure="The CRM did not confirm the appointment")  # type: ignore[return-value]


async def cancel_appointment(ctx: Context[Any, Any], appointmentId: AppointmentId) -> AppointmentResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await appointments.cancel_appointment(rt, caller, appointmentId)
    return require_success(envelope, failure="The CRM did not cancel the appointment")  # type: ignore[return-value]


def tools() -> list[Tool]:
    """This module's tools, ready for ``MCPServer(tools=...)`` (built once per process by the caller)."""
    return [
        Tool.from_function(
            list_appointments,
            name="listAppointments",
            title="List appointments",
            annotations=_READ,
            description=(
                "List the user's CRM appointments, optionally only those starting between startDate and endDate "
                "(inclusive calendar days, YYYY-MM-DD, give both or neither). Each appointment has the `id` the "
                "other appointment tools take."
            ),
        ),
        Tool.from_function(
            create_appointment,
            name="createAppointment",
            title="Create appointment",
            annotations=_WRITE,
            description=(
                "Schedule an appointment in the CRM: a title, a start time with its UTC offset, a duration in "
                "minutes, an optional agenda (summary) and optional attendee contacts. Returns the new appointment "
                "and its appointmentId."
            ),
        ),
        Tool.from_function(
            update_appointment,
            name="updateAppointment",
            title="Update appointment",
            annotations=_CHANGE,
            description=(
                "Change an existing appointment. Give only what changes: title, summary, contacts (replaces the "
                "attendees), or a new startTimeUtc together with durationMinutes to reschedule. Omitted fields keep "
                "their values."
            ),
        ),
        Tool.from_function(
            cancel_appointment,
            name="cancelAppointment",
            title="Cancel appointment",
            annotations=_CHANGE,
            description="Cancel an appointment. Depending on the CRM it is marked cancelled or removed.",
        ),
        Tool.from_function(
            confirm_appointment,
            name="confirmAppointment",
            title="Confirm appointment",
            annotations=_CHANGE,
            description="Mark an appointment as confirmed (for CRMs that track confirmation).",
        ),
    ]
