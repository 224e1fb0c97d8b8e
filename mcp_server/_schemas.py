"""Typed shapes of tool arguments and results; the SDK turns them into JSON schemas.

Field names are the HTTP API's wire names (camelCase, ``from`` included), so an agent that
knows the HTTP contract knows the tools. Objects that carry RingCentral or CRM records are
open (``extra="allow"``): unknown keys pass through to the service untouched, exactly as
the HTTP routes ignore nothing a connector might read.
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired, Required

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

__all__ = [
    "Appointment",
    "AppointmentListResult",
    "AppointmentResult",
    "CallLogInfo",
    "CallLogMatch",
    "CallLogResult",
    "CallParty",
    "ConnectorInfo",
    "ConnectorList",
    "Contact",
    "ContactList",
    "ContactRef",
    "ContactResult",
    "Correspondent",
    "DispositionResult",
    "GetCallLogResult",
    "MessageLogInfo",
    "MessageLogResult",
    "PreviewResult",
    "ReturnMessage",
    "SessionInfo",
    "SmsMessage",
    "UpdateCallLogResult",
]

_OPEN = ConfigDict(extra="allow")


# ---------------------------------------------------------------- shared records


@with_config(_OPEN)
class ReturnMessage(TypedDict, total=False):
    """The server's user-facing message: text, severity and optional detail items."""

    message: Required[str]
    messageType: str
    ttl: int
    details: list[dict[str, Any]]


@with_config(_OPEN)
class Contact(TypedDict, total=False):
    """A CRM contact as the connector describes it (more keys may be present)."""

    id: Required[str | int]
    name: str
    type: str
    phone: str
    phoneNumber: str
    company: str
    email: str
    mostRecentActivityDate: str


ContactId = str | int


@with_config(ConfigDict(extra="forbid"))
class ContactRef(TypedDict, total=False):
    """A contact attending an appointment: its CRM id and, optionally, its type."""

    id: Required[Annotated[ContactId, Field(description="The contact's CRM id (as found by findContactByPhone).")]]
    type: Annotated[str, Field(description="The contact's type, e.g. Contact or Lead.")]


# ---------------------------------------------------------------- call logs

@with_config(_OPEN)
class CallParty(TypedDict, total=False):
    """One end of a call."""

    phoneNumber: Annotated[str, Field(description="E.164 number, e.g. +16505550100.")]
    name: Annotated[str, Field(description="Display name, if known.")]
    extensionNumber: Annotated[str, Field(description="Extension number, for internal parties.")]

CallLogInfo = TypedDict(
    "CallLogInfo",
    {
        "sessionId": Required[
            Annotated[str, Field(description="RingCentral telephony session id; one CRM activity per session.")]
        ],
        "id": Annotated[str, Field(description="RingCentral call-log record id.")],
        "telephonySessionId": Annotated[str, Field(description="RingCentral telephony session id (if different).")],
        "direction": Annotated[str, Field(description="'Inbound' or 'Outbound'; decides which party is the contact.")],
        "from": Annotated[CallParty, Field(description="The caller.")],
        "to": Annotated[CallParty, Field(description="The callee.")],
        "startTime": Annotated[
            str | int, Field(description="When the call started: ISO 8601 text or epoch milliseconds.")
        ],
        "duration": Annotated[int | str, Field(description="Length in seconds, or 'pending' while unknown.")],
        "result": Annotated[str, Field(description="Call result, e.g. 'Call connected', 'Missed', 'Voicemail'.")],
        "customSubject": Annotated[str, Field(description="Subject to use instead of the composed one.")],
        "recording": Annotated[dict[str, Any], Field(description="{link: <recording URL>} when recorded.")],
    },
    total=False,
)
CallLogInfo.__doc__ = "The RingCentral call record being logged (more RingCentral fields may be given)."
with_config(_OPEN)(CallLogInfo)


class CallLogResult(TypedDict):
    successful: bool
    logId: NotRequired[str | int]
    returnMessage: NotRequired[ReturnMessage | None]


class UpdateCallLogResult(TypedDict):
    successful: bool
    logId: NotRequired[str | int | None]
    updatedNote: NotRequired[str | None]
    returnMessage: NotRequired[ReturnMessage | None]


@with_config(_OPEN)
class CallLogMatch(TypedDict, total=False):
    """Whether a session is logged and, if so, the CRM activity id and (on request) its content."""

    sessionId: Required[str]
    matched: Required[bool]
    logId: str | int
    logData: dict[str, Any]


class GetCallLogResult(TypedDict):
    successful: bool
    logs: list[CallLogMatch]
    returnMessage: NotRequired[ReturnMessage | None]


class DispositionResult(TypedDict):
    successful: bool
    returnMessage: NotRequired[ReturnMessage | None]


# ---------------------------------------------------------------- message logs


@with_config(_OPEN)
class Correspondent(TypedDict, total=False):
    """The other party of the conversation."""

    phoneNumber: Required[Annotated[str, Field(description="E.164 number of the correspondent.")]]
    name: str


@with_config(_OPEN)
class SmsMessage(TypedDict, total=False):
    """One RingCentral message-store record (SMS, MMS, fax or voicemail)."""

    id: Required[Annotated[str | int, Field(description="RingCentral message id; each id is logged once.")]]
    direction: Annotated[str, Field(description="'Inbound' or 'Outbound'.")]
    subject: Annotated[str, Field(description="The message text.")]
    creationTime: Annotated[str, Field(description="ISO 8601 time the message was sent.")]
    type: Annotated[str, Field(description="'SMS' (default), 'Fax', 'VoiceMail' or 'Pager'.")]


@with_config(_OPEN)
class MessageLogInfo(TypedDict, total=False):
    """A day of one conversation: the messages to log and who they were with."""

    conversationId: Required[Annotated[str, Field(description="RingCentral conversation id.")]]
    conversationLogId: Required[
        Annotated[str, Field(description="'<conversationId>-<YYYY-MM-DD>': one CRM activity per conversation per day.")]
    ]
    correspondents: Required[list[Correspondent]]
    messages: Required[Annotated[list[SmsMessage], Field(description="Messages, newest first (as RingCentral lists them).")]]
    owner: Annotated[dict[str, Any], Field(description="{name} of a shared-inbox owner; makes it a shared SMS log.")]
    assignee: dict[str, Any]


class MessageLogResult(TypedDict):
    successful: bool
    logIds: NotRequired[list[str]]
    returnMessage: NotRequired[ReturnMessage | None]


class PreviewResult(TypedDict):
    """The body the CRM would receive, composed after plugins, without writing anything."""

    successful: bool
    format: Annotated[str, Field(description="The CRM's log format: text/plain, text/html or text/markdown.")]
    body: Annotated[str, Field(description="The composed log body ('' for non-shared SMS: connectors write those).")]
    plugins: Annotated[list[str], Field(description="Plugins that changed or checked the event, in order.")]
    warnings: Annotated[list[str], Field(description="One line per plugin that was skipped.")]
    event: Annotated[dict[str, Any], Field(description="The event after plugins, as the connector would see it.")]


# ---------------------------------------------------------------- contacts


class ContactList(TypedDict):
    successful: bool
    contact: list[Contact]
    returnMessage: NotRequired[ReturnMessage | None]


class ContactResult(TypedDict):
    successful: bool
    contact: Contact
    returnMessage: NotRequired[ReturnMessage | None]


# ---------------------------------------------------------------- appointments


@with_config(_OPEN)
class Appointment(TypedDict, total=False):
    id: Required[str | int]
    title: str | None
    summary: str | None
    description: str | None
    startTimeUtc: str | None
    durationMinutes: int | float | None
    status: str | None
    contactId: str | int | None
    attendees: list[dict[str, Any]]


class AppointmentListResult(TypedDict):
    successful: bool
    appointments: list[Appointment]


@with_config(_OPEN)
class AppointmentResult(TypedDict, total=False):
    successful: Required[bool]
    appointmentId: str | int
    appointment: Appointment
    returnMessage: ReturnMessage | None


# ---------------------------------------------------------------- session


class ConnectorInfo(TypedDict):
    name: str
    displayName: str
    authType: str
    interfaces: list[str]


class SessionInfo(TypedDict):
    userId: str
    platform: str
    connectorDisplayName: str
    hostname: str
    timezoneName: str
    timezoneOffset: str
    logFormat: str
    sessionExpiresAt: str
    interfaces: list[str]


class ConnectorList(TypedDict):
    connectors: list[ConnectorInfo]
