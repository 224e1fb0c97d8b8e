"""What the local CRM needs to write and read activity bodies, handed in by its builder.

The local CRM keeps no layout of its own: message-log activities are written, and agent
notes read back, exactly as the server's composer does it, so the local CRM shows what a
plain-text, HTML or Markdown CRM would receive. Connectors never import the composer (they
sit beside it, not above it); whoever builds the connector passes the composer in, and the
``composer.compose`` module satisfies this protocol as it is.

Every function raises ``ValueError`` for input it cannot use (an unknown format, an
unreadable time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["LogBodies", "MessageLogBody"]


class MessageLogBody(Protocol):
    @property
    def subject(self) -> str: ...
    @property
    def body(self) -> str: ...


class LogBodies(Protocol):
    def message_kind(
        self, *, recording_link: object = None, fax_doc_link: object = None, media_link: object = None
    ) -> Any:
        """``"Voicemail"``, ``"Fax"``, ``"MMS"`` or ``"SMS"``, from the links present."""

    def compose_message_log(
        self,
        *,
        log_format: str,
        kind: Any = "SMS",
        direction: str,
        user_name: str,
        contact_name: str,
        contact_phone: str = "",
        text: str | None = None,
        link: str | None = None,
        creation_time: object,
        timezone_offset: object = None,
        correspondents: Sequence[str | None] = (),
    ) -> MessageLogBody:
        """The subject and body of the activity that opens a conversation's day."""

    def append_message(
        self,
        existing_body: str,
        *,
        log_format: str,
        kind: Any = "SMS",
        direction: str,
        user_name: str,
        contact_name: str,
        contact_phone: str = "",
        text: str | None = None,
        link: str | None = None,
        creation_time: object,
        timezone_offset: object = None,
    ) -> str:
        """``existing_body`` with one more message."""

    def extract_note(self, body: str, *, log_format: str) -> str | None:
        """The agent note of a call-log body, or None when it has none."""
