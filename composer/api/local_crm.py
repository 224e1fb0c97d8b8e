"""Read views of the built-in local CRM: ``/local/`` (HTML) and ``/local/activities`` (JSON)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import MediaType, Request, Response, get, patch
from litestar.params import FromPath, FromQuery

from composer.api.body import read_struct
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import local_crm

__all__ = ["ROUTES"]


class ActivityEdit(msgspec.Struct, kw_only=True):
    body: str


@get("/local/activities")
async def list_activities(rt: RuntimeDep, caller: CallerDep, contactId: FromQuery[str | None] = None) -> dict[str, Any]:
    return await local_crm.list_activities(rt, caller, contact_id=contactId)


@patch("/local/activities/{activity_id:str}")
async def edit_activity(
    request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep, activity_id: FromPath[str]
) -> dict[str, Any]:
    caller.session()
    body = await read_struct(request, ActivityEdit, error="Invalid activity edit")
    return await local_crm.edit_activity(rt, caller, activity_id=activity_id, body=body.body)


@get(["/local", "/local/"], media_type=MediaType.HTML, include_in_schema=False)
async def local_page(rt: RuntimeDep, caller: CallerDep, apiKey: FromQuery[str | None] = None) -> Response[str]:
    page = await local_crm.local_page(rt, caller, api_key=apiKey)
    return Response(page, media_type=MediaType.HTML, headers={"Referrer-Policy": "no-referrer"})


ROUTES = [list_activities, edit_activity, local_page]
