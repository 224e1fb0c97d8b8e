"""Property-based run of the reference OpenAPI over the logging routes: no 5xx, no hang, JSON errors.

Bounded (a few examples per operation, positive and negative) against a real uvicorn server
on 127.0.0.1 with a logged-in local user and one local contact, so a good share of the
generated creates reach the CRM path. Nothing leaves the machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from composer.app import create_app
from tests._servers import serve_in_thread
from tests.logging.conftest import logging_settings

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "app-connect-openapi.json"
LOGGING_ROUTES = r"^/(callLog|callDisposition|callLog/cacheNote|messageLog)$"

if not SPEC.exists():  # the shared reference lives beside the checkout
    pytest.skip(f"reference OpenAPI not found at {SPEC}", allow_module_level=True)

schema = schemathesis.openapi.from_path(str(SPEC)).include(path_regex=LOGGING_ROUTES)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("schemathesis-logging")
    app = create_app(logging_settings(tmp, ringcentral_server="http://127.0.0.1:9"))
    with serve_in_thread(app) as base_url:
        login = httpx.post(f"{base_url}/apiKeyLogin", json={"platform": "local", "apiKey": "fuzz"}, timeout=10)
        login.raise_for_status()
        jwt = login.json()["jwtToken"]
        httpx.post(
            f"{base_url}/contact",
            json={"phoneNumber": "+14155550100", "newContactName": "Fuzz Target"},
            headers={"Authorization": f"Bearer {jwt}"},
            timeout=10,
        ).raise_for_status()
        yield base_url, jwt


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_logging_routes_never_fail_with_5xx(case: schemathesis.Case, live: tuple[str, str]) -> None:
    base_url, jwt = live
    headers = dict(case.headers or {})
    headers["Authorization"] = f"Bearer {jwt}"
    started = time.monotonic()
    response = case.call(base_url=base_url, headers=headers, timeout=15)
    assert time.monotonic() - started < 15, "request hung"
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        assert str(content_type[0] if isinstance(content_type, list) else content_type).startswith(
            "application/json"
        ), response.text[:200]
