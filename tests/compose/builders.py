"""Shared inputs of log-format §8 (BASE, IN, LIFE) as request builders."""

from __future__ import annotations

from typing import Any

from composer.compose import ComposeRequest, UserContext

REC = "https://ringcentral.github.io/ringcentral-media-reader/?media=abc"


def base(log_format: str, **overrides: Any) -> ComposeRequest:
    fields: dict[str, Any] = {
        "logFormat": log_format,
        "callLog": {
            "direction": "Outbound",
            "from": {"phoneNumber": "+1234567890", "name": "John Doe"},
            "to": {"phoneNumber": "+0987654321", "name": "Jane Smith"},
            "sessionId": "session-123",
        },
        "contactInfo": {"phoneNumber": "+0987654321"},
        "user": UserContext(timezoneOffset="+00:00", userSettings={}),
        "note": "Test note",
        "subject": "Test Call",
        "startTime": "2024-01-15T10:30:00Z",
        "duration": 120,
        "result": "Completed",
    }
    fields.update(overrides)
    return ComposeRequest(**fields)


def inbound(log_format: str, **overrides: Any) -> ComposeRequest:
    fields: dict[str, Any] = {
        "logFormat": log_format,
        "callLog": {"direction": "Inbound", "sessionId": "session123"},
        "contactInfo": {"phoneNumber": "+1234567890"},
        "user": UserContext(
            timezoneOffset="+05:30",
            userSettings={"addCallSessionId": {"value": True}, "addCallLogContactNumber": {"value": True}},
        ),
        "startTime": "2023-01-01T12:00:00.000Z",
    }
    fields.update(overrides)
    return ComposeRequest(**fields)


def life(log_format: str, **overrides: Any) -> ComposeRequest:
    fields: dict[str, Any] = {
        "logFormat": log_format,
        "callLog": {"direction": "Inbound", "sessionId": "4000123"},
        "user": UserContext(timezoneOffset="-05:00", userSettings={"addCallSessionId": {"value": True}}),
        "subject": "Inbound call from Pat Customer",
        "startTime": "2024-03-05T14:07:09.000Z",
        "duration": 95,
        "result": "Call connected",
    }
    fields.update(overrides)
    return ComposeRequest(**fields)
