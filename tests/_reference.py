"""Shared pieces of the schemathesis runs: the reference OpenAPI and a live local-CRM server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis

from tests._servers import serve_in_thread

REFERENCE_SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "app-connect-openapi.json"


def reference_schema(path_regex: str) -> Any:
    """The reference OpenAPI limited to ``path_regex``; skips the calling module when absent."""
    if not REFERENCE_SPEC.exists():  # the shared reference lives beside the checkout
        pytest.skip(f"reference OpenAPI not found at {REFERENCE_SPEC}", allow_module_level=True)
    return schemathesis.openapi.from_path(str(REFERENCE_SPEC)).include(path_regex=path_regex)


@contextmanager
def live_local_server(app: Any, *, contact_phone: str) -> Iterator[tuple[str, str]]:
    """Serve ``app`` on 127.0.0.1 with a logged-in local user owning one contact: (base URL, JWT)."""
    with serve_in_thread(app) as base_url:
        login = httpx.post(f"{base_url}/apiKeyLogin", json={"platform": "local", "apiKey": "fuzz"}, timeout=10)
        login.raise_for_status()
        jwt: str = login.json()["jwtToken"]
        httpx.post(
            f"{base_url}/contact",
            json={"phoneNumber": contact_phone, "newContactName": "Fuzz Target"},
            headers={"Authorization": f"Bearer {jwt}"},
            timeout=10,
        ).raise_for_status()
        yield base_url, jwt
