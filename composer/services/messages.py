"""The spec's returnMessage texts, in one place."""

from __future__ import annotations

from typing import Any

__all__ = ["crm_error_message", "database_failed", "rm", "session_expired"]


def rm(message: str, ttl: int = 5000, message_type: str = "warning", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"message": message, "messageType": message_type, "ttl": ttl}
    out.update(extra)
    return out


def database_failed() -> dict[str, Any]:
    return {"successful": False, "returnMessage": rm("Database operation failed", 5000)}


def session_expired() -> dict[str, Any]:
    return rm("User session expired. Please connect again.", 5000)


_OPERATIONS: dict[str, tuple[str, str]] = {
    "createCallLog": ("Error creating call log", "Please check if your account has permission to CREATE logs."),
    "updateCallLog": (
        "Error updating call log",
        "Please check if the log entity still exists on {platform} and your account has permission to EDIT logs.",
    ),
    "getCallLog": ("Error getting call log", "Please check if your account has permission to READ logs."),
    "createMessageLog": ("Error creating message log", "Please check if your account has permission to CREATE logs."),
    "updateMessageLog": (
        "Error updating message log",
        "Please check if the log entity still exists on {platform} and your account has permission to EDIT logs.",
    ),
    "findContact": ("Error finding contact", "Please check if your account has permission to GET contacts."),
    "createContact": ("Error creating contact", "Please check if your account has permission to CREATE contacts."),
    "findContactWithName": ("Error searching contacts", "Please check if your account has permission to GET contacts."),
    "createAppointment": (
        "Error creating appointment",
        "Please check if your account has permission to CREATE appointments. or All attendees have email address.",
    ),
    "updateAppointment": (
        "Error updating appointment",
        "Please check if the appointment entity still exists on {platform} and your account has permission to EDIT "
        "appointments. or All attendees have email address.",
    ),
}


def crm_error_message(*, status: int | None, operation: str, platform: str, cause: str | None = None) -> dict[str, Any]:
    """§6.3: the returnMessage for an exception raised by a connector interface.

    ``cause`` (e.g. "the CRM did not answer within 30 s") is added as a second detail item
    so the user learns what happened; the spec's items come first and are unchanged.
    """
    if status == 429:
        text = (
            f"You have exceeded the maximum number of requests allowed by {platform}. "
            "Please try again in the next minute. If the problem persists please contact support."
        )
        return rm("Rate limit exceeded", 5000, details=[{"title": "Details", "items": [{"id": "1", "type": "text", "text": text}]}])
    if status is not None and 400 <= status < 410:
        text = (
            f"It seems like there's something wrong with your authorization of {platform}. "
            f"Please Logout and then Connect your {platform} account within this extension."
        )
        return rm("Authorization error", 5000, details=[{"title": "Details", "items": [{"id": "1", "type": "text", "text": text}]}])
    message, detail = _OPERATIONS.get(
        operation, (f"Error performing {operation}", "Please check if your account has the necessary permissions.")
    )
    items: list[dict[str, Any]] = [{"id": 1, "type": "text", "text": detail.format(platform=platform)}]
    if cause:
        items.append({"id": 2, "type": "text", "text": cause})
    return rm(message, 5000, details=[{"title": "Details", "items": items}])
