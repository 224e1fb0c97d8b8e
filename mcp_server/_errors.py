"""The one boundary where service outcomes become MCP tool errors.

A tool error is what the model reads when a call did not do what it asked, so its text is
the user-facing message the HTTP client would have shown: the ``returnMessage`` text and
its detail items for business failures (``successful: false``: duplicate log, contact not
found, CRM refused), the spec's 400 text and the offending fields for invalid input, the
session messages for authentication problems. Unexpected exceptions are left to the SDK,
which hides their text from the client and logs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from composer.services.errors import (
    BadRequest,
    ErrorResponse,
    RequestFailed,
    ServiceError,
    SessionRevoked,
    ValidationFailed,
)
from composer.store.exceptions import StoreError

__all__ = ["describe_message", "require_success", "service_errors"]


def describe_message(message: Any) -> str:
    """``returnMessage`` as one line: its text, then the text of its detail items."""
    if isinstance(message, str):
        return message
    if not isinstance(message, Mapping):
        return ""
    details: list[str] = []
    for block in message.get("details") or []:
        for item in (block.get("items") or []) if isinstance(block, Mapping) else []:
            if isinstance(item, Mapping) and item.get("text"):
                details.append(str(item["text"]))
    missing = message.get("missingRequiredFieldConsts")
    if missing:
        details.append("Missing fields: " + ", ".join(str(m) for m in missing) + ".")
    text = str(message.get("message") or "").strip()
    if not details:
        return text
    return f"{text}: {' '.join(details)}" if text else " ".join(details)


def require_success(envelope: Mapping[str, Any], *, failure: str) -> dict[str, Any]:
    """The envelope when it is not an explicit failure; ToolError with its message otherwise."""
    if envelope.get("successful") is False:
        raise ToolError(describe_message(envelope.get("returnMessage")) or failure)
    return dict(envelope)


def _error_text(exc: ServiceError) -> str:
    if isinstance(exc, ValidationFailed):
        fields = "; ".join(f"{d.get('path') or '(body)'}: {d.get('message')}" for d in exc.details)
        return f"{exc.message}: {fields}" if fields else exc.message
    if isinstance(exc, ErrorResponse):
        body = exc.body if isinstance(exc.body, Mapping) else {}
        text = describe_message(body.get("returnMessage")) or str(body.get("error") or "")
        return text or f"Refused with HTTP {exc.status}"
    if isinstance(exc, SessionRevoked):
        return f"{exc.message} The CRM refused the stored credentials; log in to the CRM again."
    if isinstance(exc, BadRequest | RequestFailed):
        return exc.message
    return exc.message or type(exc).__name__


@contextmanager
def service_errors() -> Iterator[None]:
    """Translate service and store errors raised inside a tool into ToolError."""
    try:
        yield
    except ServiceError as exc:
        raise ToolError(_error_text(exc)) from exc
    except StoreError as exc:
        raise ToolError("Database operation failed") from exc
