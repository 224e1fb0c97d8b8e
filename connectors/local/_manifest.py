"""The App Connect manifest and release notes of the ``local`` platform."""

from __future__ import annotations

import copy
from typing import Any, Final

__all__ = [
    "DEFAULT_LOG_FORMAT",
    "LOG_FORMATS",
    "LOG_FORMAT_SETTING",
    "MANIFEST",
    "PLATFORM",
    "RELEASE_NOTES",
    "build_manifest",
]

PLATFORM: Final = "local"
LOG_FORMAT_SETTING: Final = "localLogFormat"
DEFAULT_LOG_FORMAT: Final = "text/plain"
LOG_FORMATS: Final = ("text/plain", "text/html", "text/markdown")
VERSION: Final = "0.1.0"

_PLATFORM_ENTRY: dict[str, Any] = {
    "name": PLATFORM,
    "displayName": "Local CRM",
    "developer": {"name": "appconnect-composer", "websiteUrl": ""},
    "auth": {
        "type": "apiKey",
        "apiKey": {
            "page": {
                "title": "Local CRM",
                "warning": (
                    "Development convenience: any non-empty API key signs you in to a local CRM "
                    "owned by that key. Keep the key to yourself; it is the only credential."
                ),
                "content": [{"const": "apiKey", "title": "API key", "type": "string", "required": True}],
            }
        },
    },
    "contactTypes": [{"display": "Contact", "value": "Contact"}, {"display": "Lead", "value": "Lead"}],
    "page": {
        "useContactSearch": True,
        "callLog": {"additionalFields": []},
        "messageLog": {"additionalFields": []},
        "newContact": {"additionalFields": []},
    },
    "settings": [
        {
            "id": "localCrmOptions",
            "type": "section",
            "name": "Local CRM",
            "items": [
                {
                    "id": LOG_FORMAT_SETTING,
                    "type": "option",
                    "name": "Log format",
                    "description": "How call and message logs are written into the local CRM.",
                    "options": [
                        {"id": "text/plain", "name": "Plain text"},
                        {"id": "text/html", "name": "HTML"},
                        {"id": "text/markdown", "name": "Markdown"},
                    ],
                    "defaultValue": DEFAULT_LOG_FORMAT,
                }
            ],
        }
    ],
}

MANIFEST: Final[dict[str, Any]] = {
    "serverUrl": "",
    "redirectUri": "",
    "author": {"name": "appconnect-composer", "websiteUrl": ""},
    "version": VERSION,
    "platforms": {PLATFORM: _PLATFORM_ENTRY},
}
"""The manifest with no server URL; ``build_manifest`` fills in URLs for a deployment."""

RELEASE_NOTES: Final[dict[str, Any]] = {
    VERSION: {
        PLATFORM: [
            {
                "type": "New",
                "description": (
                    "Built-in local CRM: contacts, call and message logs and appointments stored in the "
                    "server's own database, with a log-format setting (plain text, HTML, Markdown)."
                ),
            }
        ]
    }
}


def build_manifest(server_url: str = "") -> dict[str, Any]:
    """A fresh copy of ``MANIFEST`` pointing at ``server_url`` (no trailing slash).

    With a server URL the platform also gets ``contactPageUrl`` and ``logPageUrl`` pointing at
    the ``/local/`` page, so the client's "open in CRM" links land on the right rows.
    """
    manifest = copy.deepcopy(MANIFEST)
    base = server_url.rstrip("/")
    manifest["serverUrl"] = base
    if base:
        entry = manifest["platforms"][PLATFORM]
        entry["contactPageUrl"] = base + "/local/?contactId={contactId}"
        entry["logPageUrl"] = base + "/local/?activityId={logId}"
        entry["canOpenLogPage"] = True
    return manifest
