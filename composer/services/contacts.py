"""Contact lookup, creation and name search (spec §9), with the per-user lookup cache."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeGuard

from composer.services.context import Caller
from composer.services.credentials import prepare_access
from composer.services.crm_failures import crm_failure
from composer.services.errors import BadRequest
from composer.services.messages import rm
from composer.services.sessions import connector_for, current_user
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["create_contact", "find_contact", "find_contact_by_name", "is_real_match", "lookup_key"]

log = logging.getLogger(__name__)


def is_real_match(contacts: Any) -> TypeGuard[list[Any]]:
    return isinstance(contacts, list) and any(
        isinstance(c, dict) and not c.get("isNewContact") for c in contacts
    )


def lookup_key(overriding_format: str | None, is_extension_raw: str | None) -> str:
    return f"{overriding_format or ''}|{is_extension_raw or ''}"


def _not_found(phone_number: str, platform: str) -> dict[str, Any]:
    text = f"A contact with the phone number {phone_number} could not be found in your {platform} account."
    return rm("Contact not found", 5000, details=[{"title": "Details", "items": [{"id": "1", "type": "text", "text": text}]}])


async def find_contact(
    rt: Runtime,
    caller: Caller,
    *,
    phone_number: str | None,
    overriding_format: str | None = None,
    is_extension_raw: str | None = None,
    force_refresh: bool = False,
) -> dict[str, Any]:
    if not phone_number:
        raise BadRequest("Missing phoneNumber")
    # An unencoded "+" in a query string arrives as a space.
    phone_number = phone_number.replace(" ", "+", 1)
    user = await current_user(rt, caller)
    if user is None or not user.has_credentials:
        return {"successful": False, "returnMessage": rm("Contact not found", 5000)}
    platform = user.platform
    key = lookup_key(overriding_format, is_extension_raw)
    if not force_refresh:
        cached = await rt.store.contacts.get(platform=platform, user_id=user.id, phone_number=phone_number, lookup_key=key)
        if cached is not None:
            return {"successful": True, "returnMessage": None, "contact": cached}
    connector = connector_for(rt, platform)
    try:
        access = await prepare_access(rt, user, connector)
        result = await call_interface(
            connector,
            "findContact",
            user=user,
            authHeader=access.auth_header,
            phoneNumber=phone_number,
            overridingFormat=overriding_format,
            isExtension=is_extension_raw == "true",
            isExtensionRaw=is_extension_raw,
            proxyConfig=access.proxy_config,
            isForceRefreshAccountData=force_refresh,
        )
    except Exception as exc:
        return crm_failure(exc, operation="findContact", platform=platform)
    result = result if isinstance(result, dict) else {}
    matched = result.get("matchedContactInfo")
    if is_real_match(matched):
        await rt.store.contacts.put(platform=platform, user_id=user.id, phone_number=phone_number, lookup_key=key, contacts=matched)
        return {"successful": result.get("successful", True), "returnMessage": result.get("returnMessage"), "contact": matched}
    if force_refresh:
        await rt.store.contacts.delete(platform=platform, user_id=user.id, phone_number=phone_number, lookup_key=key)
    return {
        "successful": result.get("successful", False),
        "returnMessage": result.get("returnMessage") or _not_found(phone_number, platform),
        "contact": matched,
    }


async def create_contact(
    rt: Runtime,
    caller: Caller,
    *,
    phone_number: str,
    new_contact_name: str,
    new_contact_type: str | None = None,
    additional_submission: dict[str, Any] | None = None,
) -> dict[str, Any]:
    user = await current_user(rt, caller)
    if user is None:
        return {"successful": False}
    connector = connector_for(rt, user.platform)
    try:
        access = await prepare_access(rt, user, connector)
        result = await call_interface(
            connector,
            "createContact",
            user=user,
            authHeader=access.auth_header,
            phoneNumber=phone_number,
            newContactName=new_contact_name,
            newContactType=new_contact_type,
            additionalSubmission=additional_submission,
            proxyConfig=access.proxy_config,
        )
    except Exception as exc:
        return crm_failure(exc, operation="createContact", platform=user.platform)
    result = result if isinstance(result, dict) else {}
    if result.get("contactInfo") is None:
        return {"successful": False, "returnMessage": result.get("returnMessage")}
    # The reference kept serving a stale "no match" for this number; forget every lookup of it.
    await rt.store.contacts.delete(platform=user.platform, user_id=user.id, phone_number=phone_number)
    return {"successful": True, "returnMessage": result.get("returnMessage"), "contact": result["contactInfo"]}


async def find_contact_by_name(rt: Runtime, caller: Caller, *, name: str) -> dict[str, Any]:
    user = await current_user(rt, caller, bad_jwt_variant=True)
    if user is None:
        return {"successful": False, "returnMessage": rm(f"No contact found with name {name}", 5000)}
    connector = connector_for(rt, user.platform)
    if get_interface(connector, "findContactWithName") is None:
        return {"successful": True, "contact": []}
    try:
        access = await prepare_access(rt, user, connector)
        result = await call_interface(
            connector,
            "findContactWithName",
            user=user,
            authHeader=access.auth_header,
            name=name,
            proxyConfig=access.proxy_config,
        )
    except Exception as exc:
        return crm_failure(exc, operation="findContactWithName", platform=user.platform)
    result = result if isinstance(result, dict) else {}
    matched = result.get("matchedContactInfo")
    if is_real_match(matched):
        return {"successful": result.get("successful", True), "returnMessage": result.get("returnMessage"), "contact": matched}
    return {
        "successful": result.get("successful", False),
        "returnMessage": result.get("returnMessage") or rm(f"No contact found with name {name} ", 5000),
        "contact": matched if isinstance(matched, list) else [],
    }
