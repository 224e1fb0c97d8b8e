"""Where a tool call's identity comes from, and how service answers become tool errors."""

from __future__ import annotations

import time

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from composer.security.jwt import SessionTokens
from composer.services.errors import ErrorResponse, NotAuthenticated, ValidationFailed
from mcp_server._errors import describe_message, require_success, service_errors
from mcp_server._identity import BearerIdentity, SessionTokenVerifier, StdioIdentity

TOKENS = SessionTokens("identity-tests-" + "z" * 40)


async def test_verifier_binds_the_principal_to_user_and_platform() -> None:
    verifier = SessionTokenVerifier(lambda: TOKENS, issuer="http://127.0.0.1:8000")
    token = await verifier.verify_token(TOKENS.issue(user_id="7-local", platform="local"))
    assert token is not None
    assert token.subject == "local:7-local"
    assert token.claims == {"iss": "http://127.0.0.1:8000", "id": "7-local", "platform": "local"}
    assert await verifier.verify_token("not-a-jwt") is None
    assert await verifier.verify_token(SessionTokens("other-" + "q" * 40).issue(user_id="7", platform="x")) is None


def test_bearer_identity_outside_an_authenticated_request() -> None:
    with pytest.raises(ToolError, match="Not authenticated"):
        BearerIdentity().caller()


def test_stdio_identity_verifies_and_rotates() -> None:
    old = TOKENS.issue(user_id="7-local", platform="local", now=time.time() - 10 * 24 * 3600)
    identity = StdioIdentity(TOKENS, old)
    first = identity.caller()
    assert first.claims is not None and first.claims.id == "7-local"
    assert first.claims.exp > time.time() + 13 * 24 * 3600  # renewed: four days were left
    with pytest.raises(ToolError, match="invalid or expired"):
        StdioIdentity(TOKENS, TOKENS.issue(user_id="7", platform="local", now=1_000_000)).caller()


def test_describe_message() -> None:
    message = {
        "message": "Authorization error",
        "details": [{"title": "Details", "items": [{"id": "1", "type": "text", "text": "Log in again."}]}],
    }
    assert describe_message(message) == "Authorization error: Log in again."
    assert describe_message("Note cache saved") == "Note cache saved"
    assert describe_message(None) == ""
    with pytest.raises(ToolError, match=r"^Authorization error: Log in again\.$"):
        require_success({"successful": False, "returnMessage": message}, failure="x")
    with pytest.raises(ToolError, match=r"^fallback$"):
        require_success({"successful": False}, failure="fallback")
    assert require_success({"successful": True, "logId": 1}, failure="x") == {"successful": True, "logId": 1}


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (NotAuthenticated(), "Please go to Settings and authorize CRM platform"),
        (ValidationFailed("Invalid x", [{"path": "a.b", "message": "Required"}]), "Invalid x: a.b: Required"),
        (
            ErrorResponse(400, {"error": "Invalid call log request", "returnMessage": {"message": "Invalid call log request"}}),
            "Invalid call log request",
        ),
    ],
)
def test_service_errors_become_tool_errors(error: Exception, text: str) -> None:
    with pytest.raises(ToolError) as caught, service_errors():
        raise error
    assert str(caught.value) == text
