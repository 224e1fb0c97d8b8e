"""The connector contract: what core calls, with which keyword arguments, and what it expects.

Core looks interfaces up by name (``getattr``) and calls them with keyword arguments only;
every interface must accept ``**kwargs`` (core may pass more than it documents). Any
interface may be sync or async. Results are dicts or msgspec Structs with the wire names.
Only ``createCallLog`` and ``updateCallLog`` are required; core reacts to the absence of
anything else as documented in docs/connectors.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import msgspec

__all__ = [
    "INTERFACE_NAMES",
    "REQUIRED_INTERFACES",
    "CallLogInfo",
    "CallLogResult",
    "Connector",
    "ContactInfo",
    "ContactResult",
    "GetCallLogResult",
    "LookupResult",
    "PlatformUserInfo",
    "ReturnMessage",
    "UpdateResult",
    "UserInfoResult",
    "UserRecord",
]

REQUIRED_INTERFACES = ("createCallLog", "updateCallLog")

# Every function interface core may call (names exactly as the wire contract).
INTERFACE_NAMES = (
    "getAuthType",
    "getOauthInfo",
    "getBasicAuth",
    "getUserInfo",
    "unAuthorize",
    "findContact",
    "findContactWithName",
    "createContact",
    "createCallLog",
    "updateCallLog",
    "getCallLog",
    "getLogFormatType",
    "upsertCallDisposition",
    "createMessageLog",
    "updateMessageLog",
    "getLicenseStatus",
    "getUserList",
    "refreshUserInfo",
    "authValidation",
    "onUpdateUserSettings",
    "getServerLoggingSettings",
    "updateServerLoggingSettings",
    "getManagedAuthOptions",
    "listAppointments",
    "createAppointment",
    "updateAppointment",
    "refreshAppointment",
    "confirmAppointment",
    "cancelAppointment",
    "checkAndRefreshAccessToken",
    "getOverridingOAuthOption",
    "postSaveUserInfo",
)


class UserRecord(Protocol):
    """The user row handed to connectors (decrypted in memory; ``save()`` re-encrypts)."""

    id: str
    platform: str
    hostname: str
    timezoneName: str
    timezoneOffset: str
    rcAccountId: str | None
    hashedRcExtensionId: str
    accessToken: str
    refreshToken: str
    tokenExpiry: datetime | None
    platformAdditionalInfo: dict[str, Any]
    userSettings: dict[str, Any]

    async def save(self) -> None: ...
    async def destroy(self) -> None: ...


@runtime_checkable
class Connector(Protocol):
    """The two interfaces checked at registration; see INTERFACE_NAMES for the optional rest."""

    def createCallLog(self, **kwargs: Any) -> Any: ...
    def updateCallLog(self, **kwargs: Any) -> Any: ...


class ReturnMessage(msgspec.Struct, kw_only=True, omit_defaults=True):
    message: str
    messageType: str = "success"
    ttl: int = 3000
    details: list[dict[str, Any]] | msgspec.UnsetType = msgspec.UNSET


class ContactInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str | int
    name: str = ""
    type: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    phoneNumber: str | msgspec.UnsetType = msgspec.UNSET
    title: str | msgspec.UnsetType = msgspec.UNSET
    company: str | msgspec.UnsetType = msgspec.UNSET
    email: str | msgspec.UnsetType = msgspec.UNSET
    createdDate: str | msgspec.UnsetType = msgspec.UNSET
    mostRecentActivityDate: str | msgspec.UnsetType = msgspec.UNSET
    additionalInfo: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET
    isNewContact: bool | msgspec.UnsetType = msgspec.UNSET


class PlatformUserInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    name: str = ""
    timezoneName: str = ""
    timezoneOffset: str | int | float | None = None
    platformAdditionalInfo: dict[str, Any] = msgspec.field(default_factory=dict)
    overridingHostname: str | None = None
    overridingApiKey: str | None = None


class UserInfoResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    successful: bool
    platformUserInfo: PlatformUserInfo | None = None
    returnMessage: ReturnMessage | None = None


class LookupResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    successful: bool = True
    matchedContactInfo: list[ContactInfo] | None = None
    returnMessage: ReturnMessage | msgspec.UnsetType = msgspec.UNSET


class ContactResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    contactInfo: ContactInfo | None = None
    returnMessage: ReturnMessage | None = None


class CallLogResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    logId: str | int | None = None
    returnMessage: ReturnMessage | None = None


class UpdateResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    updatedNote: str | msgspec.UnsetType = msgspec.UNSET
    returnMessage: ReturnMessage | msgspec.UnsetType = msgspec.UNSET


class CallLogInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    subject: str = ""
    note: str = ""
    fullBody: str | msgspec.UnsetType = msgspec.UNSET
    fullLogResponse: Any = msgspec.UNSET
    contactName: str | msgspec.UnsetType = msgspec.UNSET
    dispositions: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


class GetCallLogResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    callLogInfo: CallLogInfo | None = None
    returnMessage: ReturnMessage | msgspec.UnsetType = msgspec.UNSET
