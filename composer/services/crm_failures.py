"""Classify an exception raised by a connector interface into (status, human cause).

Every connector failure, whatever raised it, becomes the spec's returnMessage here, so a
CRM timeout, 429, 5xx or garbage answer never escapes as a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import msgspec

from composer.services.errors import ServiceError
from composer.services.messages import crm_error_message
from connectors.exceptions import ConnectorError, ConnectorResponseError, ConnectorTimeout

__all__ = ["crm_failure", "describe_failure"]

log = logging.getLogger(__name__)


def describe_failure(exc: BaseException) -> tuple[int | None, str]:
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return status, f"The CRM answered HTTP {status}."
    if isinstance(exc, ConnectorTimeout | httpx.TimeoutException | TimeoutError):
        return None, "The CRM did not answer in time. Please try again in a moment."
    if isinstance(exc, httpx.TransportError):
        return None, "The CRM could not be reached. Please try again in a moment."
    if isinstance(exc, ConnectorResponseError | json.JSONDecodeError | msgspec.DecodeError):
        return None, "The CRM sent an answer that could not be understood."
    if isinstance(exc, ConnectorError):
        return exc.status, f"The CRM answered HTTP {exc.status}." if exc.status else exc.message
    return None, "An unexpected error occurred while talking to the CRM."


def crm_failure(exc: BaseException, *, operation: str, platform: str) -> dict[str, Any]:
    """The HTTP-200 envelope ``{"successful": false, "returnMessage": ...}`` for a connector failure.

    Service errors (a revoked session, bad input) are not CRM failures: they are re-raised
    so the route answers with their own status.
    """
    if isinstance(exc, ServiceError):
        raise exc
    status, cause = describe_failure(exc)
    log.warning(
        "crm.call.failed operation=%s platform=%s status=%s error=%s",
        operation,
        platform,
        status if status is not None else "unknown",
        type(exc).__name__,
    )
    return {
        "successful": False,
        "returnMessage": crm_error_message(status=status, operation=operation, platform=platform, cause=cause),
    }
