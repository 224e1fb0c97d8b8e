"""Read views of the built-in local CRM, for people checking what was logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.services.context import Caller
from composer.services.errors import BadRequest
from connectors.local import LocalConnector, local_user_id, render_local_page

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["edit_activity", "list_activities", "local_page"]


def _connector(rt: Runtime) -> LocalConnector:
    connector = rt.registry.get_original_connector("local")
    if not isinstance(connector, LocalConnector):
        raise BadRequest("The local CRM is not available on this server")
    return connector


def _owner(caller: Caller) -> str:
    claims = caller.session()
    if claims.platform != "local":
        raise BadRequest("This session is not a local CRM session")
    return claims.id


async def list_activities(rt: Runtime, caller: Caller, *, contact_id: str | None) -> dict[str, Any]:
    owner = _owner(caller)
    activities = await _connector(rt).list_activities(owner, contact_id or None)
    return {"successful": True, "activities": activities}


async def edit_activity(rt: Runtime, caller: Caller, *, activity_id: str, body: str) -> dict[str, Any]:
    """Replace an activity's body, as a person editing it in the CRM would."""
    owner = _owner(caller)
    try:
        activity = await _connector(rt).edit_activity_body(owner, activity_id, body)
    except LookupError:
        raise BadRequest(f"Activity not found: {activity_id}") from None
    return {"successful": True, "activity": activity}


_LOGIN_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Local CRM</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif;margin:2rem;max-width:40rem}</style></head><body>
<h1>Local CRM</h1>
<p>Enter the API key you log in to the <code>local</code> platform with (development convenience:
any non-empty key is a local user), or open this page with <code>?jwtToken=&lt;session JWT&gt;</code>.</p>
<form method="get" action="/local/"><input name="apiKey" type="password" placeholder="API key">
<button type="submit">Show</button></form></body></html>"""


async def local_page(rt: Runtime, caller: Caller, *, api_key: str | None) -> str:
    if caller.claims is not None and caller.claims.platform == "local":
        owner = caller.claims.id
    elif api_key and api_key.strip():
        owner = local_user_id(api_key)
    else:
        return _LOGIN_PAGE
    connector = _connector(rt)
    contacts = await connector.list_contacts(owner)
    activities = await connector.list_activities(owner)
    return render_local_page(contacts, activities)
