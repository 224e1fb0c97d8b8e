"""Appointments (spec §15.1): list, create, update, status, refresh, confirm, cancel.

Every operation validates its input first (``appointment_input``; a refusal is a 400 that
names the fields and nothing is sent to the CRM), then loads the caller's user, prepares
CRM credentials and calls one connector interface. The connector's answer is checked
(an object; ``successful``, when present, a bool; listed appointments carry an id) and
returned as ``{"successful": true, ...answer}``, so a connector's explicit
``successful: false`` survives. Anything a connector raises, including a missing
interface or a malformed answer, becomes the §6.3 returnMessage for the operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.services.appointment_input import parse_create, parse_patch, parse_range, parse_status
from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.crm_failures import crm_failure
from composer.services.messages import rm
from composer.services.sessions import connector_for, current_user
from connectors.exceptions import ConnectorResponseError
from connectors.invoke import call_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "cancel_appointment",
    "confirm_appointment",
    "create_appointment",
    "list_appointments",
    "refresh_appointment",
    "set_appointment_status",
    "update_appointment",
]


def _checked(result: Any, operation: str) -> dict[str, Any]:
    """The connector answer as a dict; ConnectorResponseError when it breaks the contract."""
    if not isinstance(result, dict):
        raise ConnectorResponseError(f"{operation} returned {type(result).__name__}, not an object")
    if "successful" in result and not isinstance(result["successful"], bool):
        raise ConnectorResponseError(f"{operation} returned a non-boolean 'successful'")
    if operation == "listAppointments" and result.get("successful", True):
        appointments = result.get("appointments")
        if not isinstance(appointments, list) or not all(
            isinstance(item, dict) and item.get("id") not in (None, "") for item in appointments
        ):
            raise ConnectorResponseError("listAppointments returned appointments without ids")
    return result


async def _call(
    rt: Runtime, caller: Caller, operation: str, *, appointment_id: str | None = None, **arguments: Any
) -> dict[str, Any]:
    user = await current_user(rt, caller)
    if user is None or not user.has_credentials:
        return {"successful": False, "returnMessage": rm("User not found", 5000)}
    connector = connector_for(rt, user.platform)
    access = await prepare_access(rt, user, connector)
    if appointment_id is not None:
        arguments["appointmentId"] = appointment_id
    try:
        result = _checked(
            await call_interface(
                connector,
                operation,
                user=user,
                authHeader=access.auth_header,
                proxyConfig=access.proxy_config,
                **arguments,
            ),
            operation,
        )
    except Exception as exc:
        return crm_failure(exc, operation=operation, platform=user.platform)
    envelope: dict[str, Any] = {"successful": True}
    if appointment_id is not None and result.get("successful") is not False:
        # Connectors answer {appointment}; clients also read the id they acted on.
        envelope["appointmentId"] = appointment_id
    envelope.update(result)
    return envelope


async def list_appointments(
    rt: Runtime, caller: Caller, *, start_date: str | None = None, end_date: str | None = None
) -> dict[str, Any]:
    date_range = parse_range(start_date, end_date)
    return await _call(rt, caller, "listAppointments", range=date_range)


async def create_appointment(rt: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """``body`` is ``{payload: P}`` or a bare ``P`` (title, summary, startTimeUtc, durationMinutes, contacts?)."""
    payload = parse_create(body)
    return await _call(rt, caller, "createAppointment", payload=payload)


async def update_appointment(rt: Runtime, caller: Caller, appointment_id: str, body: Any) -> dict[str, Any]:
    """``body`` is ``{patch: X}`` or a bare ``X``; omitted fields keep their CRM values."""
    patch = parse_patch(body)
    return await _call(rt, caller, "updateAppointment", appointment_id=appointment_id, patchBody=patch)


async def set_appointment_status(rt: Runtime, caller: Caller, appointment_id: str, body: Any) -> dict[str, Any]:
    patch = parse_status(body)
    return await _call(rt, caller, "updateAppointment", appointment_id=appointment_id, patchBody=patch)


async def refresh_appointment(rt: Runtime, caller: Caller, appointment_id: str) -> dict[str, Any]:
    return await _call(rt, caller, "refreshAppointment", appointment_id=appointment_id)


async def confirm_appointment(rt: Runtime, caller: Caller, appointment_id: str) -> dict[str, Any]:
    return await _call(rt, caller, "confirmAppointment", appointment_id=appointment_id)


async def cancel_appointment(rt: Runtime, caller: Caller, appointment_id: str) -> dict[str, Any]:
    return await _call(rt, caller, "cancelAppointment", appointment_id=appointment_id)
