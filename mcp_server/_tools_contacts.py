"""Contact tools: findContactByPhone, findContactByName, createContact (spec §9 services)."""

from __future__ import annotations

from typing import Annotated, Any, cast

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations
from pydantic import Field

from composer.services import contacts
from mcp_server._deps import deps_of
from mcp_server._errors import require_success, service_errors
from mcp_server._schemas import Contact, ContactList, ContactResult

__all__ = ["tools"]

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=True)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)

PhoneNumber = Annotated[
    str, Field(min_length=1, description="The phone number in E.164 form, e.g. +16505550100.")
]


def _real_contacts(value: Any) -> list[Contact]:
    """Matches without the client's "Create new contact..." placeholder, which is not a contact."""
    if not isinstance(value, list):
        return []
    return [cast(Contact, c) for c in value if isinstance(c, dict) and not c.get("isNewContact")]


async def find_contact_by_phone(
    ctx: Context[Any, Any],
    phoneNumber: PhoneNumber,
    overridingFormat: Annotated[
        str | None, Field(description="Optional comma-separated number formats the CRM stores, e.g. '(***) ***-****'.")
    ] = None,
    isExtension: Annotated[bool, Field(description="True when phoneNumber is an internal extension.")] = False,
    forceRefresh: Annotated[bool, Field(description="True to bypass the server's lookup cache.")] = False,
) -> ContactList:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await contacts.find_contact(
            rt,
            caller,
            phone_number=phoneNumber,
            overriding_format=overridingFormat,
            is_extension_raw="true" if isExtension else None,
            force_refresh=forceRefresh,
        )
    answer = require_success(envelope, failure="Contact lookup failed")
    return {
        "successful": True,
        "contact": _real_contacts(answer.get("contact")),
        "returnMessage": answer.get("returnMessage"),
    }


async def find_contact_by_name(
    ctx: Context[Any, Any],
    name: Annotated[str, Field(min_length=1, description="Full or partial contact name to search for.")],
) -> ContactList:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await contacts.find_contact_by_name(rt, caller, name=name)
    answer = require_success(envelope, failure=f"No contact found with name {name}")
    return {
        "successful": True,
        "contact": _real_contacts(answer.get("contact")),
        "returnMessage": answer.get("returnMessage"),
    }


async def create_contact(
    ctx: Context[Any, Any],
    phoneNumber: PhoneNumber,
    newContactName: Annotated[str, Field(min_length=1, description="The new contact's full name.")],
    newContactType: Annotated[
        str | None, Field(description="CRM contact type, e.g. 'Contact' or 'Lead' (connector default if omitted).")
    ] = None,
    additionalSubmission: Annotated[
        dict[str, Any] | None, Field(description="Connector-specific extra fields, e.g. {'company': 'Acme'}.")
    ] = None,
) -> ContactResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await contacts.create_contact(
            rt,
            caller,
            phone_number=phoneNumber,
            new_contact_name=newContactName,
            new_contact_type=newContactType,
            additional_submission=additionalSubmission,
        )
    answer = require_success(envelope, failure="The CRM did not create the contact")
    return {"successful": True, "contact": answer["contact"], "returnMessage": answer.get("returnMessage")}


def tools() -> list[Tool]:
    """This module's tools, ready for ``MCPServer(tools=...)`` (built once per process by the caller)."""
    return [
        Tool.from_function(
            find_contact_by_phone,
            name="findContactByPhone",
            title="Find contact by phone",
            annotations=_READ,
            description=(
                "Look up CRM contacts whose phone number matches. Use it before logging a call or SMS: the "
                "contact's `id` is the `contactId` that createCallLog and createMessageLog need. Returns the "
                "matching contacts (an empty list when nobody matches; then use createContact or findContactByName)."
            ),
        ),
        Tool.from_function(
            find_contact_by_name,
            name="findContactByName",
            title="Find contact by name",
            annotations=_READ,
            description=(
                "Search CRM contacts by name, when the phone number is unknown or matched nobody. "
                "Returns the matching contacts with their ids."
            ),
        ),
        Tool.from_function(
            create_contact,
            name="createContact",
            title="Create contact",
            annotations=_WRITE,
            description=(
                "Create a contact in the CRM with a name and phone number. Use it only after findContactByPhone "
                "found no match; it returns the new contact, whose `id` is the contactId for logging."
            ),
        ),
    ]
