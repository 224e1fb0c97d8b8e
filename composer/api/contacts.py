"""Contact routes (spec §9) and account data (§12)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.params import FromQuery

from composer.api.body import read_struct
from composer.api.deps import CallerDep, RuntimeDep
from composer.services import contacts
from composer.services.account_data import get_account_data

__all__ = ["ROUTES"]


class NewContact(msgspec.Struct, kw_only=True):
    phoneNumber: str
    newContactName: str
    newContactType: FromQuery[str | None] = None
    additionalSubmission: dict[str, Any] | None = None


@get("/contact")
async def find_contact(
    rt: RuntimeDep,
    caller: CallerDep,
    phoneNumber: FromQuery[str | None] = None,
    overridingFormat: FromQuery[str | None] = None,
    isExtension: FromQuery[str | None] = None,
    isForceRefreshAccountData: FromQuery[str | None] = None,
) -> dict[str, Any]:
    caller.session()
    return await contacts.find_contact(
        rt,
        caller,
        phone_number=phoneNumber,
        overriding_format=overridingFormat,
        is_extension_raw=isExtension,
        force_refresh=isForceRefreshAccountData == "true",
    )


@post("/contact", status_code=200)
async def create_contact(request: Request[Any, Any, Any], rt: RuntimeDep, caller: CallerDep) -> dict[str, Any]:
    caller.session()
    body = await read_struct(request, NewContact, error="Invalid contact request")
    return await contacts.create_contact(
        rt,
        caller,
        phone_number=body.phoneNumber,
        new_contact_name=body.newContactName,
        new_contact_type=body.newContactType,
        additional_submission=body.additionalSubmission,
    )


@get("/custom/contact/search")
async def search_contacts(rt: RuntimeDep, caller: CallerDep, name: FromQuery[str] = "") -> dict[str, Any]:
    caller.session(bad_jwt_variant=True)
    return await contacts.find_contact_by_name(rt, caller, name=name)


@get("/accountData")
async def account_data(
    rt: RuntimeDep, caller: CallerDep, keys: FromQuery[str | None] = None, forceRefresh: FromQuery[str | None] = None
) -> dict[str, Any]:
    caller.session()
    return await get_account_data(rt, caller, keys=keys, force_refresh=forceRefresh == "true")


ROUTES = [find_contact, create_contact, search_contacts, account_data]
