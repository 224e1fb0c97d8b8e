"""Contact routes (spec §9) and account data (§12)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post

from composer.api.body import read_struct
from composer.services import contacts
from composer.services.account_data import get_account_data
from composer.services.context import Caller
from composer.services.runtime import Runtime

__all__ = ["ROUTES"]


class NewContact(msgspec.Struct, kw_only=True):
    phoneNumber: str
    newContactName: str
    newContactType: str | None = None
    additionalSubmission: dict[str, Any] | None = None


@get("/contact")
async def find_contact(
    rt: Runtime,
    caller: Caller,
    phoneNumber: str | None = None,  # noqa: N803
    overridingFormat: str | None = None,  # noqa: N803
    isExtension: str | None = None,  # noqa: N803
    isForceRefreshAccountData: str | None = None,  # noqa: N803
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
async def create_contact(request: Request[Any, Any, Any], rt: Runtime, caller: Caller) -> dict[str, Any]:
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
async def search_contacts(rt: Runtime, caller: Caller, name: str = "") -> dict[str, Any]:
    caller.session(bad_jwt_variant=True)
    return await contacts.find_contact_by_name(rt, caller, name=name)


@get("/accountData")
async def account_data(
    rt: Runtime, caller: Caller, keys: str | None = None, forceRefresh: str | None = None  # noqa: N803
) -> dict[str, Any]:
    caller.session()
    return await get_account_data(rt, caller, keys=keys, force_refresh=forceRefresh == "true")


ROUTES = [find_contact, create_contact, search_contacts, account_data]
