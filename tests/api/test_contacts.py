"""Contact routes on the built-in local CRM (spec §9) and the lookup cache."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from composer.services.runtime import Runtime
from tests.api.conftest import bearer, login


async def _create(client: AsyncTestClient[Litestar], jwt: str, phone: str, name: str) -> dict[str, Any]:
    response = await client.post(
        "/contact", json={"phoneNumber": phone, "newContactName": name, "newContactType": "Contact"}, headers=bearer(jwt)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["successful"] is True
    return body


@pytest.mark.parametrize("query", ["+16505550100", "(650) 555-0100", "650-555-0100", " 16505550100"])
async def test_find_contact_in_every_format(client: AsyncTestClient[Litestar], jwt: str, query: str) -> None:
    created = await _create(client, jwt, "+16505550100", "Pat Customer")
    response = await client.get("/contact", params={"phoneNumber": query}, headers=bearer(jwt))
    body = response.json()
    assert response.status_code == 200 and body["successful"] is True, body
    real = [c for c in body["contact"] if not c.get("isNewContact")]
    assert [c["id"] for c in real] == [created["contact"]["id"]]
    assert body["contact"][-1]["id"] == "createNewContact"


async def test_lookup_is_cached_and_create_invalidates(
    client: AsyncTestClient[Litestar], jwt: str, runtime: Runtime
) -> None:
    await _create(client, jwt, "+16505550111", "First")
    first = (await client.get("/contact", params={"phoneNumber": "+16505550111"}, headers=bearer(jwt))).json()
    assert first["returnMessage"] is not None or first["successful"]
    second = (await client.get("/contact", params={"phoneNumber": "+16505550111"}, headers=bearer(jwt))).json()
    assert second["returnMessage"] is None, "a cached answer carries no returnMessage"
    await _create(client, jwt, "+16505550111", "Second")
    third = (await client.get("/contact", params={"phoneNumber": "+16505550111"}, headers=bearer(jwt))).json()
    names = {c["name"] for c in third["contact"] if not c.get("isNewContact")}
    assert names == {"First", "Second"}, "POST /contact must invalidate the cached lookup"


async def test_no_match_is_not_cached(client: AsyncTestClient[Litestar], jwt: str, runtime: Runtime) -> None:
    body = (await client.get("/contact", params={"phoneNumber": "+16505559999"}, headers=bearer(jwt))).json()
    assert body["successful"] is True or body["successful"] is False
    assert body["returnMessage"]["message"] == "Contact not found"
    text = body["returnMessage"]["details"][0]["items"][0]["text"]
    assert "+16505559999" in text and "local" in text
    claims = runtime.tokens.verify(jwt)
    assert claims is not None
    cached = await runtime.store.contacts.get(
        platform="local", user_id=claims.id, phone_number="+16505559999", lookup_key="|"
    )
    assert cached is None


async def test_contacts_are_private_to_their_owner(client: AsyncTestClient[Litestar], jwt: str) -> None:
    await _create(client, jwt, "+16505550122", "Mine")
    other = await login(client, api_key="someone-else")
    body = (await client.get("/contact", params={"phoneNumber": "+16505550122"}, headers=bearer(other))).json()
    assert [c for c in body["contact"] if not c.get("isNewContact")] == []


async def test_search_by_name(client: AsyncTestClient[Litestar], jwt: str) -> None:
    await _create(client, jwt, "+16505550133", "Jordan Lee")
    found = (await client.get("/custom/contact/search", params={"name": "jordan"}, headers=bearer(jwt))).json()
    assert [c["name"] for c in found["contact"]] == ["Jordan Lee"]
    missing = (await client.get("/custom/contact/search", params={"name": "nobody"}, headers=bearer(jwt))).json()
    assert missing["returnMessage"]["message"] == "No contact found with name nobody "


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"phoneNumber": 5, "newContactName": "x"}', "application/json"),
        (b'{"newContactName": "x"}', "application/json"),
    ],
)
async def test_malformed_contact_bodies_are_json_400(
    client: AsyncTestClient[Litestar], jwt: str, payload: bytes, content_type: str
) -> None:
    response = await client.post(
        "/contact", content=payload, headers={**bearer(jwt), "content-type": content_type}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["successful"] is False and body["error"].startswith("Invalid contact request")


async def test_form_encoded_body_is_accepted(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.post(
        "/contact",
        content=b"phoneNumber=%2B16505550144&newContactName=Form+User",
        headers={**bearer(jwt), "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200 and response.json()["contact"]["name"] == "Form User"


async def test_missing_phone_number(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get("/contact", headers=bearer(jwt))
    assert response.status_code == 400 and response.json()["error"] == "Missing phoneNumber"


async def test_account_data_unknown_key(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get("/accountData", params={"keys": "nope"}, headers=bearer(jwt))
    assert response.status_code == 400
    assert response.json()["returnMessage"]["message"] == "Unknown account data key(s): nope"
    missing = await client.get("/accountData", headers=bearer(jwt))
    assert missing.status_code == 400 and missing.json()["error"] == "Missing keys"
