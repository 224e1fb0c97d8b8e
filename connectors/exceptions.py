"""Errors a connector raises to signal a CRM failure.

    ConnectorError                 any CRM-side failure (status may be None)
     +-- CrmApiError               the CRM answered with an error status
     |    +-- ConnectorRateLimited the CRM answered 429: try again later
     |    +-- ConnectorAuthError   the CRM refused the credentials (401/403)
     +-- ConnectorTimeout          the CRM did not answer in time
     +-- ConnectorResponseError    the CRM answered 2xx with something unusable

Core maps these (and ``httpx.HTTPStatusError``) to the spec's ``returnMessage`` by status;
business "no" answers are returned by connectors, never raised.
"""

from __future__ import annotations

__all__ = [
    "ConnectorAuthError",
    "ConnectorError",
    "ConnectorRateLimited",
    "ConnectorResponseError",
    "ConnectorTimeout",
    "CrmApiError",
]


class ConnectorError(Exception):
    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class CrmApiError(ConnectorError):
    """The CRM answered with an error status (``CrmApiError(status, message)`` as in the spec)."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message, status=status)


class ConnectorRateLimited(CrmApiError):
    def __init__(self, message: str = "rate limited") -> None:
        super().__init__(429, message)


class ConnectorAuthError(CrmApiError):
    pass


class ConnectorTimeout(ConnectorError):
    pass


class ConnectorResponseError(ConnectorError):
    pass
