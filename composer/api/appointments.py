"""Appointment routes (spec §15.1): decode, call one service, return its envelope."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch, post
from litestar.params import FromPath, FromQuery

from composer.api.body import read_body
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import appointments
from composer.services.appointment_input import CREATE_TITLE, PATCH_TITLE, STATUS_TITLE
from composer.services.errors import BadRequest, ValidationFailed

__all__ = ["ROUTES"]


async def _json(request: Request[Any, Any, Any], title: str) -> Any:
    """The decoded body; unreadable JSON is reported in the route's validation shape."""
    try:
        return await read_body(request, error=title)
    except BadRequest as exc:
        raise ValidationFailed(title, [{"path": "", "message": exc.message.removeprefix(f"{title}: ")}]) from None


@get("/appointments")
async def list_appointments(
    rt: RuntimeDep,
    caller: CallerDep,
    startDate: FromQuery[str | None] = None,
    endDate: FromQuery[str | None] = None,
) -> dict[str, Any]:
    # `range`, `mineOnly` and `forceSync` are sent by older clients and ignored (spec §15.1).
    caller.session()
    return await appointments.list_appointments(rt, caller, start_date=startDate, end_date=endDate)


@post("/appointments", status_code=200)
async def create_appointment(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    return await appointments.create_appointment(rt, caller, await _json(request, CREATE_TITLE))


@patch("/appointments/{appointmentId:str}")
async def update_appointment(
    request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep, appointmentId: FromPath[str]
) -> dict[str, Any]:
    caller.session()
    return await appointments.update_appointment(rt, caller, appointmentId, await _json(request, PATCH_TITLE))


@post("/appointments/{appointmentId:str}/status", status_code=200)
async def set_status(
    request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep, appointmentId: FromPath[str]
) -> dict[str, Any]:
    caller.session()
    return await appointments.set_appointment_status(rt, caller, appointmentId, await _json(request, STATUS_TITLE))


@get("/appointments/{appointmentId:str}/refresh")
async def refresh_appointment(rt: RuntimeDep, caller: CallerDep, appointmentId: FromPath[str]) -> dict[str, Any]:
    caller.session()
    return await appointments.refresh_appointment(rt, caller, appointmentId)


@post("/appointments/{appointmentId:str}/confirm", status_code=200)
async def confirm_appointment(rt: RuntimeDep, caller: CallerDep, appointmentId: FromPath[str]) -> dict[str, Any]:
    caller.session()
    return await appointments.confirm_appointment(rt, caller, appointmentId)


@post("/appointments/{appointmentId:str}/cancel", status_code=200)
async def cancel_appointment(rt: RuntimeDep, caller: CallerDep, appointmentId: FromPath[str]) -> dict[str, Any]:
    caller.session()
    return await appointments.cancel_appointment(rt, caller, appointmentId)


ROUTES = [
    list_appointments,
    create_appointment,
    update_appointment,
    set_status,
    refresh_appointment,
    confirm_appointment,
    cancel_appointment,
]
