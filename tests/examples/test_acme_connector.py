"""The connector guide's complete example, against a fake Acme CRM on 127.0.0.1."""

from __future__ import annotations

import base64
import itertools
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, get, patch, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.testing import AsyncTestClient

from composer.app import create_app
from tests._servers import serve_in_thread
from tests.api.conftest import bearer, make_settings

KEY = "acme-key"


def fake_acme() -> Litestar:
    contacts: list[dict[str, Any]] = []
    activities: dict[str, dict[str, Any]] = {}
    ids = itertools.count(100)

    def check(request: Request[Any, Any, Any]) -> None:
        if request.headers.get("authorization") != "Basic " + base64.b64encode(f"{KEY}:".encode()).decode():
            raise NotAuthorizedException()

    @get("/api/me")
    async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
        check(request)
        return {"id": 7, "name": "Ann Acme"}

    @get("/api/contacts")
    async def find(request: Request[Any, Any, Any], phone: FromQuery[str]) -> list[dict[str, Any]]:
        check(request)
        return [c for c in contacts if c["phone"] == phone]

    @post("/api/contacts")
    async def create(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        check(request)
        contact = {"id": str(next(ids)), **data}
        contacts.append(contact)
        return contact

    @post("/api/activities")
    async def log(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        check(request)
        activity = {"id": str(next(ids)), **data}
        activities[activity["id"]] = activity
        return activity

    @get("/api/activities/{activity_id:str}")
    async def read(request: Request[Any, Any, Any], activity_id: FromPath[str]) -> dict[str, Any]:
        check(request)
        if activity_id not in activities:
            raise NotFoundException()
        return activities[activity_id]

    @patch("/api/activities/{activity_id:str}")
    async def edit(request: Request[Any, Any, Any], activity_id: FromPath[str], data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
        check(request)
        activities[activity_id].update(data)
        return activities[activity_id]

    app = Litestar([me, find, create, log, read, edit])
    app.state.activities = activities
    return app


async def test_acme_example_end_to_end(tmp_path: Path) -> None:
    acme = fake_acme()
    with serve_in_thread(acme) as acme_url:
        settings = make_settings(tmp_path, connector_modules=("examples.connectors.acme_crm",))
        async with AsyncTestClient(app=create_app(settings)) as client:
            wrong = await client.post("/apiKeyLogin", json={"platform": "acme", "apiKey": "nope", "hostname": acme_url})
            assert wrong.status_code == 400
            login = await client.post("/apiKeyLogin", json={"platform": "acme", "apiKey": KEY, "hostname": acme_url})
            assert login.status_code == 200, login.text
            auth = bearer(login.json()["jwtToken"])
            created = await client.post(
                "/contact", json={"phoneNumber": "+16505550100", "newContactName": "Pat"}, headers=auth
            )
            assert created.json()["successful"] is True
            found = (await client.get("/contact", params={"phoneNumber": "+16505550100"}, headers=auth)).json()
            assert found["contact"][0]["name"] == "Pat"
            interfaces = (await client.get("/implementedInterfaces", params={"platform": "acme"})).json()
            assert interfaces["createCallLog"] and interfaces["getBasicAuth"]
    assert acme.state.activities == {}
