"""The connector contract, registry and helpers: everything a connector author imports.

A connector is any object (module, class instance, namespace) whose interface functions are
named as in the wire contract and accept ``**kwargs``. See docs/connectors.md.
"""

from connectors.contract import (
    INTERFACE_NAMES,
    REQUIRED_INTERFACES,
    CallLogInfo,
    CallLogResult,
    Connector,
    ContactInfo,
    ContactResult,
    GetCallLogResult,
    LookupResult,
    PlatformUserInfo,
    ReturnMessage,
    UpdateResult,
    UserInfoResult,
    UserRecord,
)
from connectors.exceptions import (
    ConnectorAuthError,
    ConnectorError,
    ConnectorRateLimited,
    ConnectorResponseError,
    ConnectorTimeout,
    CrmApiError,
)
from connectors.invoke import call_interface, has_interface
from connectors.registry import ConnectorRegistry

__all__ = [
    "INTERFACE_NAMES",
    "REQUIRED_INTERFACES",
    "CallLogInfo",
    "CallLogResult",
    "Connector",
    "ConnectorAuthError",
    "ConnectorError",
    "ConnectorRateLimited",
    "ConnectorRegistry",
    "ConnectorResponseError",
    "ConnectorTimeout",
    "ContactInfo",
    "ContactResult",
    "CrmApiError",
    "GetCallLogResult",
    "LookupResult",
    "PlatformUserInfo",
    "ReturnMessage",
    "UpdateResult",
    "UserInfoResult",
    "UserRecord",
    "call_interface",
    "has_interface",
]
