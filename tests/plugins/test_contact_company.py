"""plugins/contact_company.py: company and owner from the connector, into the contact and the note."""

from __future__ import annotations

from typing import Any

import pytest

from composer.pipeline import ContactRef
from composer.pipeline.runner import Pipeline
from tests.pipeline._helpers import call_event, context, spec_of
from tests.plugins._load import load_plugin

plugin_module = load_plugin("contact_company")
DEFAULT = plugin_module.ContactCompanyConfig()


def connector(*matches: dict[str, Any], fail: bool = False) -> Any:
    calls: list[tuple[str, dict[str, Any]]] = []

    async def call(name: str, /, **kwargs: Any) -> Any:
        calls.append((name, kwargs))
        if fail:
            raise ConnectionError("CRM down")
        return {"successful": True, "matchedContactInfo": [*matches, {"id": "createNewContact", "isNewContact": True}]}

    call.calls = calls  # type: ignore[attr-defined]
    return call


async def run(event: Any, call: Any, config: Any = DEFAULT) -> Any:
    return await plugin_module.contact_company(event, context(call_connector=call), config)


async def test_company_and_owner_go_into_the_contact_and_one_note_line() -> None:
    call = connector({"id": "c-0", "company": "Other"}, {"id": "c-1", "company": "Acme Ltd", "ownerName": "Dana"})
    changed = await run(call_event(note="Discussed renewal"), call)
    assert changed.contact.company == "Acme Ltd" and changed.contact.owner == "Dana"
    assert changed.note == "Discussed renewal\nCompany: Acme Ltd (owner: Dana)"
    assert call.calls == [("findContact", {"phoneNumber": "+16505550100", "isExtension": False})]
    again = await run(changed, call)
    assert again.note == changed.note  # added once


async def test_an_empty_note_becomes_the_line_and_the_label_is_configurable() -> None:
    config = plugin_module.ContactCompanyConfig(label="Firma")
    changed = await run(call_event(note=None), connector({"id": "c-1", "company": "Acme"}), config)
    assert changed.note == "Firma: Acme"


@pytest.mark.parametrize(
    ("match", "owner"),
    [
        ({"owner": "Sam"}, "Sam"),
        ({"owner": {"name": "Sam"}}, "Sam"),
        ({"additionalInfo": {"owner": "Sam"}}, "Sam"),
        ({}, ""),
    ],
)
async def test_owner_shapes(match: dict[str, Any], owner: str) -> None:
    changed = await run(call_event(), connector({"id": "c-1", "company": "Acme", **match}))
    assert changed.contact.owner == owner


async def test_without_the_note_line() -> None:
    config = plugin_module.ContactCompanyConfig(add_note_line=False)
    changed = await run(call_event(note="n"), connector({"id": "c-1", "company": "Acme"}), config)
    assert changed.note == "n" and changed.contact.company == "Acme"


async def test_nothing_to_add_means_unchanged() -> None:
    assert await run(call_event(), connector({"id": "c-1"})) is None  # no company, no owner
    assert await run(call_event(), connector({"id": "c-9", "company": "Elsewhere"})) is None  # another contact
    assert await run(call_event(), None) is None  # no CRM session (previews)
    assert await run(call_event(contact=None), connector()) is None
    assert await run(call_event(contact=ContactRef(id="c-1")), connector()) is None  # no number


async def test_a_failing_crm_only_costs_the_line() -> None:
    pipeline = Pipeline([spec_of(plugin_module.contact_company)])
    prepared = await pipeline.prepare(call_event(note="n"), context=context(call_connector=connector(fail=True)))
    assert prepared.event.note == "n"
    assert prepared.warnings == ["Plugin contact_company skipped: failed: ConnectionError: CRM down"]
