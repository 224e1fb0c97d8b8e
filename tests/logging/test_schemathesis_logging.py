"""Property-based run of the reference OpenAPI over the logging routes: no 5xx, no hang, JSON errors.

Bounded (a few examples per operation, positive and negative) against a real uvicorn server
on 127.0.0.1 with a logged-in local user and one local contact, so a good share of the
generated creates reach the CRM path. Nothing leaves the machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from composer.app import create_app
from tests._reference import live_local_server, reference_schema
from tests.logging.conftest import logging_settings

LOGGING_ROUTES = r"^/(callLog|callDisposition|callLog/cacheNote|messageLog)$"


schema = reference_schema(LOGGING_ROUTES)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("schemathesis-logging")
    app = create_app(logging_settings(tmp, ringcentral_server="http://127.0.0.1:9"))
    with live_local_server(app, contact_phone="+14155550100") as live_server:
        yield live_server


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
