"""Per-message inputs of ``createMessageLog``/``updateMessageLog`` (http-api.md §11.2).

Attachments become links: the voicemail recording, the fax document, MMS images and videos
(shown through RingCentral's media reader). ``rcAccessToken`` is only ever used to build
download links handed to the connector; it is never stored or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

__all__ = ["MEDIA_READER", "media_fields", "uri_component"]

MEDIA_READER = "https://ringcentral.github.io/ringcentral-media-reader/?media="


def uri_component(text: str) -> str:
    """JavaScript's ``encodeURIComponent``."""
    return quote(text, safe="-_.!~*'()")


def _attachments(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = message.get("attachments")
    return [a for a in found if isinstance(a, Mapping)] if isinstance(found, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def media_fields(message: Mapping[str, Any], rc_access_token: Any) -> dict[str, Any]:
    """``recordingLink``, ``faxDocLink``, ``faxDownloadLink``, ``imageLink``, ``imageDownloadLink``,
    ``imageContentType`` and ``videoLink`` for one message (None where not applicable)."""
    token = rc_access_token if isinstance(rc_access_token, str) and rc_access_token else None
    fields: dict[str, Any] = {
        "recordingLink": None,
        "faxDocLink": None,
        "faxDownloadLink": None,
        "imageLink": None,
        "imageDownloadLink": None,
        "imageContentType": None,
        "videoLink": None,
    }
    for attachment in _attachments(message):
        kind = attachment.get("type")
        uri = _text(attachment.get("uri"))
        content_type = _text(attachment.get("contentType"))
        if kind == "AudioRecording" and fields["recordingLink"] is None:
            fields["recordingLink"] = attachment.get("link")
        elif kind == "RenderedDocument" and token and fields["faxDocLink"] is None:
            fields["faxDocLink"] = attachment.get("link")
            fields["faxDownloadLink"] = f"{uri}?access_token={token}"
        elif kind == "MmsAttachment" and content_type.startswith("image/") and fields["imageLink"] is None:
            fields["imageLink"] = MEDIA_READER + uri_component(uri)
            fields["imageContentType"] = content_type
            if token:
                fields["imageDownloadLink"] = f"{uri}?access_token={token}"
        elif kind == "MmsAttachment" and content_type.startswith("video/") and fields["videoLink"] is None:
            fields["videoLink"] = MEDIA_READER + uri_component(uri)
    return fields
