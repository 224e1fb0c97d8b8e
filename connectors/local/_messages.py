"""Message-log bodies of the local CRM, built with the ``LogBodies`` it was given.

The day's conversation comes from ``compose_message_log`` and later messages from
``append_message`` (the server's composer, see ``_bodies``). This module only maps the
connector's keyword arguments onto those functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from connectors.local._bodies import LogBodies
from connectors.local._identity import value_of

__all__ = ["MessageEntry", "append_to_log", "new_log"]

_ACTIVITY_KINDS = {"SMS": "sms", "MMS": "sms", "Voicemail": "voicemail", "Fax": "fax"}


class MessageEntry(NamedTuple):
    kind: str
    subject: str
    body: str


def _message(kwargs: Mapping[str, Any]) -> Mapping[str, Any]:
    message = kwargs.get("message")
    return message if isinstance(message, Mapping) else {}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _correspondent_names(correspondents: Any) -> list[str | None]:
    """Core passes cached contact *arrays* (one per extra participant): use ``c[0].name``."""
    if not isinstance(correspondents, list):
        return []
    names: list[str | None] = []
    for entry in correspondents:
        first = entry[0] if isinstance(entry, list) and entry else entry
        name = value_of(first, "name") if isinstance(first, Mapping) else None
        names.append(_text(name) or None)
    return names


def new_log(
    bodies: LogBodies,
    *,
    fmt: str,
    user: Any,
    contact_info: Any,
    contact_name: str,
    owner_label: str,
    now_iso: str,
    **kwargs: Any,
) -> MessageEntry:
    """The activity opening a day's conversation, or a voicemail/fax activity.

    ``now_iso`` dates a message whose ``creationTime`` is missing or unreadable.
    """
    message = _message(kwargs)
    media_link = kwargs.get("imageLink") or kwargs.get("videoLink")
    kind = bodies.message_kind(
        recording_link=kwargs.get("recordingLink"),
        fax_doc_link=kwargs.get("faxDocLink"),
        media_link=media_link,
    )
    link = {"Voicemail": kwargs.get("recordingLink"), "Fax": kwargs.get("faxDocLink")}.get(kind, media_link)
    arguments: dict[str, Any] = {
        "log_format": fmt,
        "kind": kind,
        "direction": _text(message.get("direction")),
        "user_name": owner_label,
        "contact_name": contact_name,
        "contact_phone": _text(value_of(contact_info, "phoneNumber", "")),
        "text": _text(message.get("subject")),
        "link": _text(link) or None,
        "timezone_offset": getattr(user, "timezoneOffset", None),
        "correspondents": _correspondent_names(kwargs.get("correspondents")),
    }
    try:
        log = bodies.compose_message_log(creation_time=message.get("creationTime") or now_iso, **arguments)
    except ValueError:  # an unreadable creation time
        log = bodies.compose_message_log(creation_time=now_iso, **arguments)
    return MessageEntry(_ACTIVITY_KINDS[kind], log.subject, log.body)


def append_to_log(
    bodies: LogBodies,
    body: str,
    *,
    fmt: str,
    user: Any,
    contact_info: Any,
    contact_name: str,
    owner_label: str,
    now_iso: str,
    **kwargs: Any,
) -> str:
    """``body`` with the message of ``kwargs`` appended in ``fmt`` (the body's own format)."""
    message = _message(kwargs)
    media_link = kwargs.get("imageLink") or kwargs.get("videoLink")
    arguments: dict[str, Any] = {
        "log_format": fmt,
        "kind": bodies.message_kind(media_link=media_link),
        "direction": _text(message.get("direction")),
        "user_name": owner_label,
        "contact_name": contact_name,
        "contact_phone": _text(value_of(contact_info, "phoneNumber", "")),
        "text": _text(message.get("subject")),
        "link": _text(media_link) or None,
        "timezone_offset": getattr(user, "timezoneOffset", None),
    }
    try:
        return bodies.append_message(body, creation_time=message.get("creationTime") or now_iso, **arguments)
    except ValueError:  # an unreadable creation time
        return bodies.append_message(body, creation_time=now_iso, **arguments)
