"""Outcomes a service reports by raising; ``composer/api/errors.py`` maps each to HTTP once.

    ServiceError                     base; carries nothing the caller can't show
     +-- BadRequest                  ERR400(text): bad input, missing user, unknown platform
     |    +-- NotAuthenticated       NOAUTH: no usable session JWT
     |    +-- InvalidJwt             BADJWT: the routes that name a bad token explicitly
     +-- RequestFailed               EXC(msg): 400 {"successful": false, "error": msg}
     +-- ValidationFailed            400 {"error": title, "details": [{path, message}]}
     +-- SessionRevoked              401 CRM_SESSION_REVOKED: the CRM refresh token is dead
     +-- AdminRequired               403: RingCentral admin validation failed
     +-- ErrorResponse               an exact status and JSON body the spec prescribes
     +-- NotImplementedFeature       501: deferred P2 route

Business outcomes (duplicates, CRM failures, "contact not found") are not errors: they are
HTTP 200 envelopes returned by the services.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AdminRequired",
    "BadRequest",
    "ErrorResponse",
    "InvalidJwt",
    "NotAuthenticated",
    "NotImplementedFeature",
    "RequestFailed",
    "ServiceError",
    "SessionRevoked",
    "ValidationFailed",
]


class ServiceError(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ServiceError):
    """ERR400: HTTP 400 with the text in ``error`` and ``returnMessage.message``."""


class NotAuthenticated(BadRequest):
    def __init__(self) -> None:
        super().__init__("Please go to Settings and authorize CRM platform")


class InvalidJwt(BadRequest):
    def __init__(self) -> None:
        super().__init__("Invalid JWT token")


class RequestFailed(ServiceError):
    """EXC(msg): an unexpected failure inside a route, described without secrets."""


class ValidationFailed(ServiceError):
    def __init__(self, title: str, details: list[dict[str, str]]) -> None:
        super().__init__(title)
        self.details = details


class SessionRevoked(ServiceError):
    def __init__(self) -> None:
        super().__init__("User session expired. Please connect again.")


class AdminRequired(ServiceError):
    def __init__(self) -> None:
        super().__init__("Admin validation failed")


class ErrorResponse(ServiceError):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


class NotImplementedFeature(ServiceError):
    def __init__(self) -> None:
        super().__init__("Not implemented")
