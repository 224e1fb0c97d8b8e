"""Session JWT handling on every route (spec §3, conformance items 1–3)."""

from __future__ import annotations

import time

import jwt as pyjwt
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import SECRET, bearer

NOAUTH = "Please go to Settings and authorize CRM platform"


def _token(user_id: str, *, exp_in: float, platform: str = "local") -> str:
    now = int(time.time())
    return pyjwt.encode(
        {"id": user_id, "platform": platform, "iat": now, "exp": int(now + exp_in)}, SECRET, algorithm="HS256"
    )


async def test_is_alive_is_plain_ok(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/isAlive")
    assert response.status_code == 200 and response.text == "OK"
    assert "x-refreshed-jwt-token" not in response.headers


async def test_token_with_three_days_left_is_rotated_even_on_is_alive(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/isAlive", headers=bearer(_token("u-local", exp_in=3 * 86400)))
    fresh = response.headers["x-refreshed-jwt-token"]
    claims = pyjwt.decode(fresh, SECRET, algorithms=["HS256"])
    assert claims["id"] == "u-local" and claims["platform"] == "local"
    assert claims["exp"] - time.time() > 13.9 * 86400


async def test_fresh_token_is_not_rotated(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get("/hostname", headers=bearer(jwt))
    assert response.status_code == 200
    assert "x-refreshed-jwt-token" not in response.headers


async def test_cors_exposes_rotation_header(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/isAlive", headers={"Origin": "https://example.com"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-refreshed-jwt-token" in response.headers["access-control-expose-headers"]


async def test_invalid_bearer_never_falls_back_to_query(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get(f"/hostname?jwtToken={jwt}", headers=bearer("garbage"))
    assert response.status_code == 400
    assert response.json()["error"] == NOAUTH


async def test_query_token_alone_works(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get(f"/hostname?jwtToken={jwt}")
    assert response.status_code == 200


async def test_bearer_scheme_is_case_insensitive(client: AsyncTestClient[Litestar], jwt: str) -> None:
    response = await client.get("/hostname", headers={"Authorization": f"bEaReR {jwt}"})
    assert response.status_code == 200


async def test_expired_tampered_and_alg_none_tokens_are_refused(client: AsyncTestClient[Litestar], jwt: str) -> None:
    expired = _token("u-local", exp_in=-60)
    tampered = jwt[:-2] + ("AA" if not jwt.endswith("AA") else "BB")
    unsigned = pyjwt.encode({"id": "u", "platform": "local", "exp": int(time.time()) + 99}, None, algorithm="none")
    for token in (expired, tampered, unsigned, "not.a.jwt"):
        response = await client.post("/unAuthorize", headers=bearer(token))
        assert response.status_code == 400, token
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"] == NOAUTH


J_ROUTES = [
    ("POST", "/unAuthorize"),
    ("GET", "/hostname"),
    ("GET", "/user/settings"),
    ("POST", "/user/settings"),
    ("POST", "/user/refreshInfo"),
    ("GET", "/contact?phoneNumber=%2B16505550100"),
    ("POST", "/contact"),
    ("GET", "/accountData?keys=a"),
]


async def test_every_session_route_answers_noauth_without_token(client: AsyncTestClient[Litestar]) -> None:
    for method, path in J_ROUTES:
        response = await client.request(method, path, json={})
        assert response.status_code == 400, (method, path, response.text)
        body = response.json()
        assert body["error"] == NOAUTH and body["successful"] is False, (method, path)


async def test_bad_jwt_variant_routes(client: AsyncTestClient[Litestar]) -> None:
    for path in ("/authValidation", "/custom/contact/search?name=x", "/licenseStatus"):
        response = await client.get(path, headers=bearer("garbage"))
        assert response.status_code == 400, path
        assert response.json()["error"] == "Invalid JWT token", path


async def test_license_status_without_token(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/licenseStatus")
    assert response.status_code == 200
    assert response.json() == {
        "isLicenseValid": False,
        "licenseStatus": "Invalid (Invalid user session)",
        "licenseStatusDescription": "",
    }


async def test_user_of_another_platform_counts_as_missing(client: AsyncTestClient[Litestar], jwt: str) -> None:
    claims = pyjwt.decode(jwt, SECRET, algorithms=["HS256"])
    foreign = _token(claims["id"], exp_in=86400 * 10, platform="other")
    response = await client.get("/hostname", headers=bearer(foreign))
    assert response.status_code == 400 and response.json()["error"] == "User not found"
