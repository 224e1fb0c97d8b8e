"""The built-in ``local`` CRM: contacts, activities and appointments in the server's database.

Registration (done by the runtime at start-up)::

    connector, manifest = build_local_connector(
        db, bodies=composer.compose, default_region=settings.local_default_region
    )
    registry.register_connector(PLATFORM, connector, manifest=manifest)

Read views for the ``/local/`` routes: ``connector.list_contacts(owner_id)``,
``connector.list_activities(owner_id, contact_id=None)`` and ``render_local_page(...)``.
Example data: ``connectors.local.demo.seed_demo``. See docs/local-crm.md.

``bodies`` is how activity bodies are written and read (``LogBodies``); the runtime passes the
server's composer, so the local CRM stores exactly what a real CRM would receive.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from connectors.local._bodies import LogBodies, MessageLogBody
from connectors.local._connector import LocalConnector
from connectors.local._identity import local_user_id
from connectors.local._manifest import (
    LOG_FORMAT_SETTING,
    LOG_FORMATS,
    MANIFEST,
    PLATFORM,
    RELEASE_NOTES,
    build_manifest,
)
from connectors.local._store import LocalDatabase
from connectors.local._views import ActivityView, ContactView, PhoneView, render_local_page

__all__ = [
    "LOG_FORMATS",
    "LOG_FORMAT_SETTING",
    "MANIFEST",
    "PLATFORM",
    "RELEASE_NOTES",
    "ActivityView",
    "ContactView",
    "LocalConnector",
    "LogBodies",
    "MessageLogBody",
    "PhoneView",
    "build_local_connector",
    "build_manifest",
    "local_user_id",
    "render_local_page",
]


def build_local_connector(
    db: LocalDatabase,
    *,
    bodies: LogBodies,
    default_region: str = "US",
    server_url: str = "",
    clock: Callable[[], datetime] | None = None,
) -> tuple[LocalConnector, dict[str, Any]]:
    """The connector and its manifest, ready for ``registry.register_connector("local", ...)``.

    ``server_url`` (the public base URL, no trailing slash) adds the manifest's contact and
    log page links to ``/local/``; without it the manifest has no page links.
    """
    connector = LocalConnector(db, bodies=bodies, default_region=default_region, clock=clock)
    return connector, build_manifest(server_url)
