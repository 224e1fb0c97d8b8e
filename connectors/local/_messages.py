"""Message-log bodies of the local CRM, built with the composer's message-log helpers."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["MessageEntry", "append_to_log", "new_log"]


class MessageEntry(NamedTuple):
    kind: str
    subject: str
    body: str


def new_log(
    *, fmt: str, user: Any, contact_info: Any, contact_name: str, owner_label: str, **kwargs: Any
) -> MessageEntry:
    raise NotImplementedError


def append_to_log(
    body: str, *, fmt: str, user: Any, contact_info: Any, contact_name: str, owner_label: str, **kwargs: Any
) -> str:
    raise NotImplementedError
