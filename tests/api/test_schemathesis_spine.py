"""Property-based run of the reference OpenAPI over the service-spine routes: no 5xx, no hang.

Bounded: a handful of examples per operation against a real server on 127.0.0.1, with a
logged-in local user. RingCentral is pointed at a closed loopback port so nothing leaves
the machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from composer.app import create_app
from tests._reference import live_local_server, reference_schema
from tests.api.conftest import make_settings

SPINE = (
    r"^/(isAlive|implementedInterfaces|crmManifest|releaseNotes|apiKeyLogin|oauth-callback|authValidation|"
    r"licenseStatus|hostname|userInfoHash|user/settings|user/preloadSettings|user/refreshInfo|contact|"
    r"custom/contact/search|accountData)$"
)

schema = reference_schema(SPINE)

@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    app = create_app(make_settings(tmp, ringcentral_server="http://127.0.0.1:9"))
    with live_local_server(app, contact_phone="+16505550100") as live_server:
        yield live_server

@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_spine_routes_never_fail_with_5xx(case: schemathesis.Case, live: tuple[str, str]) -> None:
    base_url, jwt = live
    headers = dict(case.headers or {})
    headers["Authorization"] = f"Bearer {jwt}"
    response = case.call(base_url=base_url, headers=headers, timeout=10)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        assert str(content_type[0] if isinstance(content_type, list) else content_type).startswith(
            "application/json"
        ), response.text[:200]
