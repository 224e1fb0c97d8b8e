"""``LocalConnector``: the built-in CRM, stored in the server's own database.

The interface methods are named and called exactly as connectors.md §4 says (keyword
arguments, camelCase, ``**kwargs`` swallowed). Everything is scoped by the owner, the App
Connect user id (``user.id``). Business refusals are returned as ``returnMessage``s; only a
missing activity on update raises (``CrmApiError(404, ...)``), as a real CRM would answer 404.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from connectors import CrmApiError
from connectors.local import _messages
from connectors.local._appointments import (
    appointment_dict,
    parse_contact_refs,
    parse_date_range,
    parse_duration,
    parse_start,
)
from connectors.local._bodies import LogBodies
from connectors.local._identity import display_name, local_user_id, value_of
from connectors.local._manifest import DEFAULT_LOG_FORMAT, LOG_FORMAT_SETTING, LOG_FORMATS
from connectors.local._store import Activity, Appointment, Contact, LocalDatabase, LocalStore, iso_from_ms
from connectors.local._views import ActivityView, ContactView, activity_view, contact_view

__all__ = ["LocalConnector"]

log = logging.getLogger(__name__)

_NEW_CONTACT_PLACEHOLDER: dict[str, Any] = {
    "id": "createNewContact",
    "name": "Create new contact...",
    "isNewContact": True,
    "additionalInfo": None,
}
_NOT_FOUND = "Activity not found"
_HTML_TAG = re.compile(r"<(?:br|b|i|p|div|li|ul|hr|a)\b", re.IGNORECASE)


def _rm(message: str, message_type: str = "success", ttl: int = 2000) -> dict[str, Any]:
    return {"message": message, "messageType": message_type, "ttl": ttl}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _setting(user: Any, key: str) -> Any:
    reader = getattr(user, "setting", None)
    if callable(reader):
        return reader(key)
    settings = getattr(user, "userSettings", None) or {}
    entry = settings.get(key) if isinstance(settings, dict) else None
    return entry.get("value") if isinstance(entry, dict) else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _agent_note(bodies: LogBodies, activity: Activity) -> str:
    """The agent note, read with the composer's own recognition ("" when there is none)."""
    try:
        return bodies.extract_note(activity.body, log_format=activity.format) or ""
    except ValueError:
        return ""


class LocalConnector:
    """The ``local`` platform. ``clock`` (aware UTC ``datetime``) is injectable for tests."""

    def __init__(
        self,
        db: LocalDatabase,
        *,
        bodies: LogBodies,
        default_region: str = "US",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = LocalStore(db, region=default_region, clock=clock or _utc_now)
        self._bodies = bodies

    # ================================================================== authentication

    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: Any = "", **kwargs: Any) -> str:
        return base64.b64encode(f"{_text(apiKey)}:".encode()).decode()

    async def getUserInfo(
        self, *, apiKey: Any = None, additionalInfo: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """API-key login (development convenience): any non-empty key is its own local user."""
        key = _text(apiKey or value_of(additionalInfo, "apiKey", "")).strip()
        if not key:
            return {"successful": False, "returnMessage": _rm("Please enter an API key", "warning", 3000)}
        user_id = local_user_id(key)
        return {
            "successful": True,
            "platformUserInfo": {
                "id": user_id,
                "name": display_name(user_id),
                "timezoneName": "UTC",
                "timezoneOffset": "+00:00",
                "platformAdditionalInfo": {},
            },
            "returnMessage": _rm("Connected to local CRM.", "success", 1000),
        }

    async def unAuthorize(self, *, user: Any, **kwargs: Any) -> dict[str, Any]:
        user.accessToken = ""
        user.refreshToken = ""
        try:
            await user.save()
        except Exception:
            log.warning("local.unauthorize.save_failed user=%s", getattr(user, "id", ""), exc_info=True)
            return {"successful": False, "returnMessage": _rm("Database operation failed", "warning", 5000)}
        return {"returnMessage": _rm("Logged out of local CRM", "success", 1000)}

    async def authValidation(self, *, user: Any, **kwargs: Any) -> dict[str, Any]:
        if getattr(user, "accessToken", ""):
            return {"successful": True, "status": 200}
        return {
            "successful": False,
            "status": 401,
            "returnMessage": _rm("Please connect to the local CRM again.", "warning", 3000),
        }

    async def getLicenseStatus(self, **kwargs: Any) -> dict[str, Any]:
        return {"isLicenseValid": True, "licenseStatus": "Basic", "licenseStatusDescription": ""}

    async def getUserList(self, *, user: Any, **kwargs: Any) -> list[dict[str, Any]]:
        """A local CRM has exactly one user: the owner."""
        return [{"id": user.id, "name": display_name(user.id), "email": ""}]

    # ================================================================== contacts

    def _match(self, contact: Contact, phone: str, last_activity: int | None) -> dict[str, Any]:
        match: dict[str, Any] = {
            "id": contact.id,
            "name": contact.name,
            "phone": phone,
            "type": contact.type,
            "company": contact.company,
            "ownerName": contact.owner_name,
            "createdDate": iso_from_ms(contact.created_at),
        }
        if contact.email:
            match["email"] = contact.email
        if last_activity is not None:
            match["mostRecentActivityDate"] = iso_from_ms(last_activity)
        return match

    async def _matches(self, owner_id: str, found: list[tuple[Contact, str]]) -> list[dict[str, Any]]:
        last = await self._store.last_activity_ms(owner_id, [c.id for c, _ in found])
        return [self._match(contact, phone, last.get(contact.id)) for contact, phone in found]

    async def findContact(
        self, *, user: Any, phoneNumber: Any = "", isExtension: Any = False, **kwargs: Any
    ) -> dict[str, Any]:
        """Matches (oldest first) then the create-new placeholder; extensions never match."""
        if isExtension is True or isExtension == "true":
            return {"successful": False, "matchedContactInfo": []}
        keys = self._store.keys(phoneNumber)
        found = await self._store.find_by_phone(user.id, keys)
        matches = await self._matches(user.id, [(c, p.display) for c, p in found])
        return {"successful": True, "matchedContactInfo": [*matches, dict(_NEW_CONTACT_PLACEHOLDER)]}

    async def findContactWithName(self, *, user: Any, name: Any = "", **kwargs: Any) -> dict[str, Any]:
        contacts = await self._store.find_by_name(user.id, _text(name))
        found = [(c, c.phones[0].display if c.phones else "") for c in contacts]
        return {"successful": True, "matchedContactInfo": await self._matches(user.id, found)}

    async def createContact(
        self,
        *,
        user: Any,
        phoneNumber: Any = "",
        newContactName: Any = "",
        newContactType: Any = "",
        additionalSubmission: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        name = _text(newContactName).strip()
        if not name:
            return {
                "contactInfo": None,
                "returnMessage": _rm("Please enter a contact name.", "warning", 3000),
            }
        contact_type = _text(newContactType).strip() or "Contact"
        contact, _ = await self._store.create_contact(
            user.id,
            name=name,
            phones=[_text(phoneNumber)],
            type=contact_type,
            company=_text(value_of(additionalSubmission, "company", "")),
            email=_text(value_of(additionalSubmission, "email", "")),
            owner_name=display_name(user.id),
        )
        return {
            "contactInfo": {"id": contact.id, "name": contact.name, "type": contact.type},
            "returnMessage": _rm("Contact created.", "success", 2000),
        }

    # ================================================================== call logs

    def getLogFormatType(self, *, user: Any = None, **kwargs: Any) -> str:
        """The user's ``localLogFormat`` setting; ``text/plain`` when unset or without a user."""
        if user is None:
            return DEFAULT_LOG_FORMAT
        value = _setting(user, LOG_FORMAT_SETTING)
        return value if value in LOG_FORMATS else DEFAULT_LOG_FORMAT

    def _body_format(self, user: Any, body: str) -> str:
        """The format to record for a body core composed for ``user``.

        Core may ask ``getLogFormatType`` without the user (and then composes plain text), so
        a user preferring HTML can still hand us a plain body: record what the body is.
        """
        fmt = self.getLogFormatType(user=user)
        if fmt == "text/html" and body and not _HTML_TAG.search(body):
            return DEFAULT_LOG_FORMAT
        return fmt

    async def _contact_name(self, owner_id: str, contact_id: str, given: str) -> str:
        if given:
            return given
        contact = await self._store.get_contact(owner_id, contact_id) if contact_id else None
        return contact.name if contact else ""

    async def createCallLog(
        self,
        *,
        user: Any,
        contactInfo: Any = None,
        callLog: Any = None,
        composedLogDetails: Any = "",
        **kwargs: Any,
    ) -> dict[str, Any]:
        contact_id = _text(value_of(contactInfo, "id", ""))
        contact_name = await self._contact_name(user.id, contact_id, _text(value_of(contactInfo, "name", "")))
        subject = _text(value_of(callLog, "customSubject", "")).strip()
        if not subject:
            outbound = value_of(callLog, "direction") == "Outbound"
            party = contact_name or _text(value_of(contactInfo, "phoneNumber", ""))
            subject = f"Outbound call to {party}" if outbound else f"Inbound call from {party}"
        body = _text(composedLogDetails)
        activity = await self._store.create_activity(
            user.id,
            kind="call",
            contact_id=contact_id,
            contact_name=contact_name,
            subject=subject,
            body=body,
            format=self._body_format(user, body),
            session_id=_text(value_of(callLog, "sessionId", "")),
        )
        return {"logId": activity.id, "returnMessage": _rm("Call logged", "success", 2000)}

    async def _require_activity(self, owner_id: str, activity_id: str) -> Activity:
        activity = await self._store.get_activity(owner_id, activity_id) if activity_id else None
        if activity is None:
            raise CrmApiError(404, _NOT_FOUND)
        return activity

    async def updateCallLog(
        self,
        *,
        user: Any,
        existingCallLog: Any = None,
        composedLogDetails: Any = None,
        subject: Any = None,
        note: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Write ``composedLogDetails`` as the whole new body (core merged it already).

        An empty composed body leaves the stored one as it is. Raises
        ``CrmApiError(404, "Activity not found")`` for an unknown or foreign activity id.
        """
        activity_id = _text(value_of(existingCallLog, "thirdPartyLogId", ""))
        body = _text(composedLogDetails) or None
        updated = await self._store.update_activity(
            user.id,
            activity_id,
            body=body,
            subject=_text(subject).strip() or None,
            format=self._body_format(user, body) if body is not None else None,
        )
        if updated is None:
            raise CrmApiError(404, _NOT_FOUND)
        return {"updatedNote": _text(note), "returnMessage": _rm("Call log updated.", "success", 2000)}

    async def getCallLog(self, *, user: Any, callLogId: Any = None, **kwargs: Any) -> dict[str, Any]:
        """Raises ``CrmApiError(404, "Activity not found")`` for an unknown or foreign id."""
        activity = await self._require_activity(user.id, _text(callLogId))
        contact_name = await self._contact_name(user.id, activity.contact_id, "")
        return {
            "callLogInfo": {
                "subject": activity.subject,
                "note": _agent_note(self._bodies, activity),
                "fullBody": activity.body,
                "fullLogResponse": self._activity_record(activity),
                "contactName": contact_name or activity.contact_name,
                "dispositions": dict(activity.dispositions),
            }
        }

    @staticmethod
    def _activity_record(activity: Activity) -> dict[str, Any]:
        return {
            "id": activity.id,
            "kind": activity.kind,
            "subject": activity.subject,
            "body": activity.body,
            "format": activity.format,
            "contactId": activity.contact_id,
            "contactName": activity.contact_name,
            "sessionId": activity.session_id,
            "dispositions": dict(activity.dispositions),
            "createdAt": iso_from_ms(activity.created_at),
            "updatedAt": iso_from_ms(activity.updated_at),
        }

    async def upsertCallDisposition(
        self, *, user: Any, existingCallLog: Any = None, dispositions: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Merge ``dispositions`` into the activity's. Raises ``CrmApiError(404, ...)`` if unknown."""
        activity_id = _text(value_of(existingCallLog, "thirdPartyLogId", ""))
        activity = await self._require_activity(user.id, activity_id)
        merged = {**activity.dispositions, **(dispositions if isinstance(dispositions, dict) else {})}
        if await self._store.update_activity(user.id, activity_id, dispositions=merged) is None:
            raise CrmApiError(404, _NOT_FOUND)
        return {"logId": activity_id, "returnMessage": _rm("Disposition updated", "success", 2000)}

    # ================================================================== message logs

    async def createMessageLog(
        self,
        *,
        user: Any,
        contactInfo: Any = None,
        sharedSMSLogContent: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One activity per conversation per day (core decides create vs update)."""
        contact_id = _text(value_of(contactInfo, "id", ""))
        contact_name = await self._contact_name(user.id, contact_id, _text(value_of(contactInfo, "name", "")))
        fmt = self.getLogFormatType(user=user)
        if sharedSMSLogContent is not None:  # rendered by core, like a composed call log
            kind = "sms"
            subject = _text(value_of(sharedSMSLogContent, "subject", ""))
            body = _text(value_of(sharedSMSLogContent, "body", ""))
            fmt = self._body_format(user, body)
        else:
            entry = _messages.new_log(
                self._bodies,
                fmt=fmt,
                user=user,
                contact_info=contactInfo,
                contact_name=contact_name,
                owner_label=display_name(user.id),
                now_iso=iso_from_ms(self._store.now_ms()),
                **kwargs,
            )
            kind, subject, body = entry.kind, entry.subject, entry.body
        activity = await self._store.create_activity(
            user.id,
            kind=kind,
            contact_id=contact_id,
            contact_name=contact_name,
            subject=subject,
            body=body,
            format=fmt,
        )
        return {"logId": activity.id, "returnMessage": _rm("Message logged", "success", 1000)}

    async def updateMessageLog(
        self,
        *,
        user: Any,
        existingMessageLog: Any = None,
        contactInfo: Any = None,
        sharedSMSLogContent: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Append the message to the day's activity (shared SMS: replace it wholesale).

        Raises ``CrmApiError(404, "Activity not found")`` for an unknown or foreign id.
        """
        activity_id = _text(value_of(existingMessageLog, "thirdPartyLogId", ""))
        await self._require_activity(user.id, activity_id)
        contact_name = _text(value_of(contactInfo, "name", ""))
        owner_label = display_name(user.id)
        now_iso = iso_from_ms(self._store.now_ms())

        def change(activity: Activity) -> tuple[str, str]:
            if sharedSMSLogContent is not None:
                return (
                    _text(value_of(sharedSMSLogContent, "subject", "")) or activity.subject,
                    _text(value_of(sharedSMSLogContent, "body", "")),
                )
            body = _messages.append_to_log(
                self._bodies,
                activity.body,
                fmt=activity.format,
                user=user,
                contact_info=contactInfo,
                contact_name=contact_name or activity.contact_name,
                owner_label=owner_label,
                now_iso=now_iso,
                **kwargs,
            )
            return activity.subject, body

        if await self._store.rewrite_activity(user.id, activity_id, change) is None:
            raise CrmApiError(404, _NOT_FOUND)
        return {"returnMessage": _rm("Message log updated", "success", 3000)}

    # ================================================================== appointments

    async def _appointment_out(self, owner_id: str, appointment: Appointment) -> dict[str, Any]:
        contacts = {}
        for attendee in appointment.attendees:
            contact = await self._store.get_contact(owner_id, attendee.id)
            if contact is not None:
                contacts[contact.id] = contact
        return appointment_dict(appointment, contacts)

    async def _unknown_contacts(self, owner_id: str, ids: list[str]) -> list[str]:
        return [cid for cid in ids if await self._store.get_contact(owner_id, cid) is None]

    @staticmethod
    def _refused(message: str) -> dict[str, Any]:
        return {"successful": False, "returnMessage": _rm(message, "warning", 5000)}

    async def listAppointments(self, *, user: Any, range: Any = None, **kwargs: Any) -> dict[str, Any]:
        try:
            bounds = parse_date_range(range)
        except ValueError as exc:
            return self._refused(f"Invalid appointment date range: {exc}")
        start_from, start_to = bounds if bounds else (None, None)
        stored = await self._store.list_appointments(user.id, start_from=start_from, start_to=start_to)
        return {"appointments": [await self._appointment_out(user.id, a) for a in stored]}

    async def createAppointment(self, *, user: Any, payload: Any = None, **kwargs: Any) -> dict[str, Any]:
        payload = payload if isinstance(payload, dict) else {}
        title = _text(payload.get("title")).strip()
        if not title:
            return self._refused("Invalid appointment: a title is required")
        try:
            start_at = parse_start(payload.get("startTimeUtc"))
            duration = parse_duration(payload.get("durationMinutes"))
            attendees = parse_contact_refs(payload.get("contacts"))
        except ValueError as exc:
            return self._refused(f"Invalid appointment: {exc}")
        unknown = await self._unknown_contacts(user.id, [a.id for a in attendees])
        if unknown:
            return self._refused(f"Contact not found: {', '.join(unknown)}")
        appointment = await self._store.create_appointment(
            user.id,
            title=title,
            summary=_text(payload.get("summary")),
            start_at=start_at,
            duration_minutes=duration,
            attendees=attendees,
        )
        return {
            "appointmentId": appointment.id,
            "appointment": await self._appointment_out(user.id, appointment),
            "returnMessage": _rm("Appointment created.", "success", 3000),
        }

    async def updateAppointment(
        self, *, user: Any, appointmentId: Any = None, patchBody: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Apply the given fields; omitted fields are kept, ``contacts`` replaces the attendees."""
        patch = patchBody if isinstance(patchBody, dict) else {}
        appointment_id = _text(appointmentId)
        if await self._store.get_appointment(user.id, appointment_id) is None:
            return self._refused("Appointment not found.")
        changes: dict[str, Any] = {}
        try:
            if "title" in patch:
                title = _text(patch["title"]).strip()
                if not title:
                    raise ValueError("a title cannot be empty")
                changes["title"] = title
            if "summary" in patch:
                changes["summary"] = _text(patch["summary"])
            start = patch.get("startTimeUtc", patch.get("startTime"))
            if start is not None:
                changes["start_at"] = parse_start(start)
            if "durationMinutes" in patch:
                changes["duration_minutes"] = parse_duration(patch["durationMinutes"])
            if "contacts" in patch:
                changes["attendees"] = parse_contact_refs(patch["contacts"])
            if "status" in patch:
                status = _text(patch["status"]).strip().lower()
                if not status:
                    raise ValueError("a status cannot be empty")
                changes["status"] = status
        except ValueError as exc:
            return self._refused(f"Invalid appointment change: {exc}")
        if "attendees" in changes:
            unknown = await self._unknown_contacts(user.id, [a.id for a in changes["attendees"]])
            if unknown:
                return self._refused(f"Contact not found: {', '.join(unknown)}")
        updated = await self._store.update_appointment(user.id, appointment_id, **changes)
        if updated is None:
            return self._refused("Appointment not found.")
        return {
            "appointment": await self._appointment_out(user.id, updated),
            "returnMessage": _rm("Appointment updated.", "success", 3000),
        }

    async def refreshAppointment(
        self, *, user: Any, appointmentId: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        appointment = await self._store.get_appointment(user.id, _text(appointmentId))
        if appointment is None:
            return self._refused("Appointment not found.")
        return {"appointment": await self._appointment_out(user.id, appointment)}

    async def _set_status(self, user: Any, appointment_id: Any, status: str, message: str) -> dict[str, Any]:
        updated = await self._store.update_appointment(user.id, _text(appointment_id), status=status)
        if updated is None:
            return self._refused("Appointment not found.")
        return {
            "appointment": await self._appointment_out(user.id, updated),
            "returnMessage": _rm(message, "success", 3000),
        }

    async def confirmAppointment(
        self, *, user: Any, appointmentId: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        return await self._set_status(user, appointmentId, "confirmed", "Appointment confirmed.")

    async def cancelAppointment(
        self, *, user: Any, appointmentId: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        return await self._set_status(user, appointmentId, "cancelled", "Appointment cancelled.")

    # ================================================================== read views and edits

    async def list_contacts(self, owner_id: str) -> list[ContactView]:
        """The owner's contacts, oldest first."""
        return [contact_view(c) for c in await self._store.list_contacts(owner_id)]

    async def list_activities(self, owner_id: str, contact_id: str | None = None) -> list[ActivityView]:
        """The owner's activities, newest first; only those of ``contact_id`` when given."""
        return [activity_view(a) for a in await self._store.list_activities(owner_id, contact_id)]

    async def get_activity(self, owner_id: str, activity_id: str) -> ActivityView | None:
        activity = await self._store.get_activity(owner_id, activity_id)
        return activity_view(activity) if activity else None

    async def edit_activity_body(self, owner_id: str, activity_id: str, body: str) -> ActivityView:
        """Replace a body as a person editing it in the CRM would (raises ``LookupError`` if unknown)."""
        updated = await self._store.update_activity(owner_id, activity_id, body=body)
        if updated is None:
            raise LookupError(f"{_NOT_FOUND}: {activity_id}")
        return activity_view(updated)

    async def create_contact(
        self,
        owner_id: str,
        *,
        name: str,
        phones: list[str],
        type: str = "Contact",
        company: str = "",
        owner_name: str = "",
        email: str = "",
    ) -> ContactView:
        """Add a contact directly (examples, tests, seeding); several numbers allowed."""
        contact, _ = await self._store.create_contact(
            owner_id, name=name, phones=phones, type=type, company=company, owner_name=owner_name, email=email
        )
        return contact_view(contact)
