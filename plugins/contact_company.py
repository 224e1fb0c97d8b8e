"""Add the contact's company and CRM owner to call logs, from the CRM itself.

Why ENRICH: it adds facts (before TRANSFORM plugins such as redaction run over the text),
and it asks the connector (``findContact`` for the contact's number, through
``context.call_connector``) rather than trusting what the client sent. The company and owner
go into ``event.contact`` (connectors and later plugins see them) and, so that people reading
the CRM see them too, into the composed body as one line of the agent note, e.g.
``Company: Acme Ltd (owner: Dana)``. The line is added once, however often the log is
composed.

The connector's match must carry ``company``; the owner is read from ``owner``,
``ownerName`` or ``additionalInfo.owner`` (the built-in local CRM returns ``company`` and
``ownerName``). Without a CRM session (previews) the plugin does nothing; a slow or failing
CRM only costs the extra line (``on_error="skip"``).

Config (``plugin_contact_company``): ``add_note_line`` (default true), ``label``
(default "Company").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin


class ContactCompanyConfig(msgspec.Struct, kw_only=True):
    add_note_line: bool = True
    label: str = "Company"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _owner_of(match: Mapping[str, Any]) -> str:
    owner = match.get("owner")
    if isinstance(owner, Mapping):
        owner = owner.get("name")
    if not _text(owner):
        owner = match.get("ownerName")
    extra = match.get("additionalInfo")
    if not _text(owner) and isinstance(extra, Mapping):
        owner = extra.get("owner")
    return _text(owner)


def _pick(matches: Any, contact_id: str) -> Mapping[str, Any] | None:
    if not isinstance(matches, list):
        return None
    real = [m for m in matches if isinstance(m, Mapping) and not m.get("isNewContact")]
    for match in real:
        if contact_id and str(match.get("id")) == contact_id:
            return match
    return real[0] if real and not contact_id else None


def note_line(config: ContactCompanyConfig, company: str, owner: str) -> str:
    line = f"{config.label}: {company}" if company else f"{config.label} owner: {owner}"
    return f"{line} (owner: {owner})" if company and owner else line


@plugin(
    name="contact_company",
    stage=Stage.ENRICH,
    order=50,
    applies_to={"call.create"},
    timeout=3.0,
    on_error="skip",
    config=ContactCompanyConfig,
)
async def contact_company(
    event: CallLogEvent, context: PluginContext, config: ContactCompanyConfig
) -> CallLogEvent | None:
    """Add the contact's company and owner (from the CRM's findContact) to the contact and the note."""
    contact = event.contact
    if context.call_connector is None or contact is None or not contact.phone_number:
        return None
    answer = await context.call_connector("findContact", phoneNumber=contact.phone_number, isExtension=False)
    match = _pick(answer.get("matchedContactInfo") if isinstance(answer, Mapping) else None, contact.id)
    if match is None:
        return None
    company, owner = _text(match.get("company")), _owner_of(match)
    if not company and not owner:
        return None
    enriched = msgspec.structs.replace(contact, company=company or contact.company, owner=owner or contact.owner)
    if not config.add_note_line:
        return msgspec.structs.replace(event, contact=enriched)
    line = note_line(config, company, owner)
    note = event.note or ""
    if line not in note:
        note = f"{note.rstrip()}\n{line}" if note.strip() else line
    return msgspec.structs.replace(event, contact=enriched, note=note)
