"""Contact lookup by phone (across formats), by name, and creation; owner scoping."""

from __future__ import annotations

from typing import Any

import pytest

from composer.store import UserRecord
from connectors.local import LocalConnector

PLACEHOLDER = {
    "id": "createNewContact",
    "name": "Create new contact...",
    "isNewContact": True,
    "additionalInfo": None,
}


async def _create(connector: LocalConnector, user: UserRecord, name: str, phone: str, **extra: Any) -> str:
    result = await connector.createContact(
        user=user, authHeader="", phoneNumber=phone, newContactName=name, proxyConfig=None, **extra
    )
    contact_id: str = result["contactInfo"]["id"]
    return contact_id


@pytest.mark.parametrize("stored", ["+16505550100", "(650) 555-0100", "650-555-0100"])
@pytest.mark.parametrize("query", ["+16505550100", "(650) 555-0100", "650-555-0100", "+1 650 555 0100"])
async def test_phone_matches_across_formats(
    connector: LocalConnector, user: UserRecord, stored: str, query: str
) -> None:
    contact_id = await _create(connector, user, "Ann Lee", stored)
    result = await connector.findContact(
        user=user, phoneNumber=query, overridingFormat=None, isExtension=False
    )
    assert result["successful"] is True
    match, placeholder = result["matchedContactInfo"]
    assert placeholder == PLACEHOLDER
    assert match["id"] == contact_id
    assert match["name"] == "Ann Lee"
    assert match["phone"] == "+16505550100"
    assert match["type"] == "Contact"
    assert match["createdDate"] == "2024-03-05T14:00:00.000Z"


async def test_match_shape_and_order(connector: LocalConnector, user: UserRecord) -> None:
    first = await _create(
        connector,
        user,
        "Ann Lee",
        "+16505550100",
        newContactType="Lead",
        additionalSubmission={"company": "Acme", "email": "ann@example.com"},
    )
    second = await _create(connector, user, "Ann's colleague", "650.555.0100")
    result = await connector.findContact(user=user, phoneNumber="+16505550100")
    matches = result["matchedContactInfo"]
    assert [m["id"] for m in matches] == [first, second, "createNewContact"]
    assert matches[0] == {
        "id": first,
        "name": "Ann Lee",
        "phone": "+16505550100",
        "type": "Lead",
        "company": "Acme",
        "ownerName": f"Local user {user.id[:4]}",
        "email": "ann@example.com",
        "createdDate": "2024-03-05T14:00:00.000Z",
    }
    assert "createdDate" not in matches[-1]


async def test_contact_with_several_numbers(connector: LocalConnector, user: UserRecord) -> None:
    view = await connector.create_contact(user.id, name="Bob", phones=["+14155550123", "(415) 555-0124"])
    for number in ("415-555-0123", "+14155550124"):
        result = await connector.findContact(user=user, phoneNumber=number)
        assert result["matchedContactInfo"][0]["id"] == view.id
    result = await connector.findContact(user=user, phoneNumber="+14155550124")
    assert result["matchedContactInfo"][0]["phone"] == "+14155550124"


async def test_no_match_gives_only_the_placeholder(connector: LocalConnector, user: UserRecord) -> None:
    await _create(connector, user, "Ann Lee", "+16505550100")
    result = await connector.findContact(user=user, phoneNumber="+16505550199")
    assert result == {"successful": True, "matchedContactInfo": [PLACEHOLDER]}


@pytest.mark.parametrize("query", ["", "   ", "abc", "++", None])
async def test_unusable_queries_never_raise(connector: LocalConnector, user: UserRecord, query: Any) -> None:
    await _create(connector, user, "Ann Lee", "+16505550100")
    result = await connector.findContact(user=user, phoneNumber=query)
    assert result == {"successful": True, "matchedContactInfo": [PLACEHOLDER]}


async def test_invalid_numbers_fall_back_to_digits(connector: LocalConnector, user: UserRecord) -> None:
    short = await _create(connector, user, "Front desk", "12-34")
    result = await connector.findContact(user=user, phoneNumber="1234")
    assert [m["id"] for m in result["matchedContactInfo"]] == [short, "createNewContact"]
    assert result["matchedContactInfo"][0]["phone"] == "12-34"
    # A valid number never matches an unrelated short code by accident.
    result = await connector.findContact(user=user, phoneNumber="+16505550100")
    assert result["matchedContactInfo"] == [PLACEHOLDER]


async def test_extension_lookups_never_match(connector: LocalConnector, user: UserRecord) -> None:
    await _create(connector, user, "Ext", "101")
    assert await connector.findContact(user=user, phoneNumber="101", isExtension=True) == {
        "successful": False,
        "matchedContactInfo": [],
    }


async def test_contacts_are_scoped_by_owner(
    connector: LocalConnector, user: UserRecord, other_user: UserRecord
) -> None:
    await _create(connector, user, "Ann Lee", "+16505550100")
    result = await connector.findContact(user=other_user, phoneNumber="+16505550100")
    assert result["matchedContactInfo"] == [PLACEHOLDER]
    assert (await connector.findContactWithName(user=other_user, name="ann"))["matchedContactInfo"] == []
    assert await connector.list_contacts(other_user.id) == []


async def test_find_by_name_is_a_case_insensitive_substring(
    connector: LocalConnector, user: UserRecord
) -> None:
    ann = await _create(connector, user, "Ann Lee", "+16505550100")
    await _create(connector, user, "Bob Stone", "+14155550123")
    zoe = await _create(connector, user, "Zoë ÅNGSTRÖM", "+14155550124")
    result = await connector.findContactWithName(user=user, authHeader="", name="LEE", proxyConfig=None)
    assert result["successful"] is True
    assert [m["id"] for m in result["matchedContactInfo"]] == [ann]
    assert result["matchedContactInfo"][0]["phone"] == "+16505550100"
    assert [
        m["id"]
        for m in (await connector.findContactWithName(user=user, name="ångström"))["matchedContactInfo"]
    ] == [zoe]
    assert (await connector.findContactWithName(user=user, name=""))["matchedContactInfo"] == []
    assert (await connector.findContactWithName(user=user, name="nobody"))["matchedContactInfo"] == []


async def test_create_contact(connector: LocalConnector, user: UserRecord) -> None:
    result = await connector.createContact(
        user=user, phoneNumber="+16505550100", newContactName="  Ann Lee ", newContactType="Lead"
    )
    assert result["contactInfo"]["name"] == "Ann Lee"
    assert result["contactInfo"]["type"] == "Lead"
    assert result["contactInfo"]["id"].isdigit()
    assert result["returnMessage"] == {"message": "Contact created.", "messageType": "success", "ttl": 2000}
    [view] = await connector.list_contacts(user.id)
    assert view.phones[0].number == "+16505550100" and view.phones[0].e164 == "+16505550100"
    default_type = await connector.createContact(
        user=user, phoneNumber="1", newContactName="X", newContactType=""
    )
    assert default_type["contactInfo"]["type"] == "Contact"


async def test_create_contact_needs_a_name(connector: LocalConnector, user: UserRecord) -> None:
    result = await connector.createContact(user=user, phoneNumber="+16505550100", newContactName=" ")
    assert result["contactInfo"] is None
    assert result["returnMessage"]["messageType"] == "warning"
    assert await connector.list_contacts(user.id) == []


async def test_most_recent_activity_date(connector: LocalConnector, user: UserRecord) -> None:
    contact_id = await _create(connector, user, "Ann Lee", "+16505550100")
    await connector.createCallLog(
        user=user,
        contactInfo={"id": contact_id, "name": "Ann Lee", "phoneNumber": "+16505550100", "type": "Contact"},
        callLog={"sessionId": "s1", "direction": "Inbound"},
        composedLogDetails="- Note: hi\n",
    )
    match = (await connector.findContact(user=user, phoneNumber="+16505550100"))["matchedContactInfo"][0]
    assert match["mostRecentActivityDate"] == "2024-03-05T14:00:01.000Z"
