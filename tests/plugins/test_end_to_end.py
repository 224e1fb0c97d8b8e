"""End to end through the HTTP app: plugins change what the local CRM stores, or stop it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from composer.services.runtime import Runtime
from tests.pipeline._helpers import eventually, fast_worker, value
from tests.plugins._load import REPO_PLUGINS
from tests.plugins._receiver import receiver
from tests.plugins.conftest import App, call_body

UPPER_NOTE = """
    import msgspec
    from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin

    @plugin(name="upper_note", stage=Stage.TRANSFORM, applies_to={"call.create", "call.update"})
    async def upper_note(event: CallLogEvent, context: PluginContext) -> CallLogEvent | None:
        return msgspec.structs.replace(event, note=(event.note or "").upper()) if event.note else None
"""


def shipped(*names: str) -> dict[str, str]:
    return {f"{name}.py": (REPO_PLUGINS / f"{name}.py").read_text() for name in names}


CARD = "4111 1111 1111 1111"


def plugin_setting(name: str, value: Any) -> dict[str, Any]:
    return {"userSettings": {f"plugin_{name}": {"value": value}}}


@pytest.mark.parametrize("plugin_files", [{"upper.py": UPPER_NOTE}], indirect=True)
async def test_a_drop_in_plugin_shapes_the_body_on_create_and_update(app: App) -> None:
    headers = await app.login()
    contact_id = await app.contact(headers)
    response = await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    assert response.json()["successful"] is True, response.text
    (activity,) = await app.activities(headers)
    assert "- Note: DISCUSSED RENEWAL" in activity["body"]
    update = {"sessionId": "s-1", "note": "follow up friday"}
    assert (await app.client.patch("/callLog", json=update, headers=headers)).json()["successful"] is True
    (activity,) = await app.activities(headers)
    assert "FOLLOW UP FRIDAY" in activity["body"] and "DISCUSSED" not in activity["body"]


@pytest.mark.parametrize("plugin_files", [{"upper.py": UPPER_NOTE}], indirect=True)
async def test_an_account_can_turn_a_plugin_off(app: App) -> None:
    headers = await app.login()
    response = await app.client.post("/user/settings", json=plugin_setting("upper_note", {"enabled": False}), headers=headers)
    assert response.status_code == 200
    contact_id = await app.contact(headers)
    await app.client.post("/callLog", json=call_body(contact_id), headers=headers)
    (activity,) = await app.activities(headers)
    assert "- Note: Discussed renewal" in activity["body"]


@pytest.mark.parametrize("plugin_files", [shipped("redact_pci", "contact_company")], indirect=True)
async def test_shipped_plugins_redact_and_enrich_what_the_crm_stores(app: App) -> None:
    headers = await app.login()
    contact_id = await app.contact(headers, company="Acme Ltd")
    body = call_body(contact_id, note=f"card {CARD}, ssn 123-45-6789", aiNote=f"Customer read out {CARD}")
    response = await app.client.post("/callLog", json=body, headers=headers)
    assert response.json()["successful"] is True, response.text
    (activity,) = await app.activities(headers)
    stored = activity["body"]
    assert "4111" not in stored and "6789" not in stored
    assert "[card number redacted]" in stored and "[SSN redacted]" in stored
    assert "Company: Acme Ltd (owner: " in stored


@pytest.mark.parametrize("plugin_files", [shipped("redact_pci")], indirect=True)
async def test_when_redaction_fails_nothing_reaches_the_crm_and_a_retry_works(app: App) -> None:
    headers = await app.login()
    broken = plugin_setting("redact_pci", {"config": {"keep_last4": {"value": "sometimes"}}})
    assert (await app.client.post("/user/settings", json=broken, headers=headers)).status_code == 200
    contact_id = await app.contact(headers)
    response = await app.client.post("/callLog", json=call_body(contact_id, note=f"card {CARD}"), headers=headers)
    answer = response.json()
    assert answer["successful"] is False
    assert "redact_pci" in answer["returnMessage"]["message"]
    assert await app.activities(headers) == []
    fixed = {"settingKeysToRemove": ["plugin_redact_pci"]}
    assert (await app.client.post("/user/settings", json=fixed, headers=headers)).status_code == 200
    retry = await app.client.post("/callLog", json=call_body(contact_id, note=f"card {CARD}"), headers=headers)
    assert retry.json()["successful"] is True  # the reservation was released
    (activity,) = await app.activities(headers)
    assert "4111" not in activity["body"]


@pytest.mark.parametrize("plugin_files", [{"upper.py": UPPER_NOTE, **shipped("redact_pci")}], indirect=True)
async def test_preview_shows_the_body_after_plugins_and_writes_nothing(app: App) -> None:
    headers = await app.login()
    contact_id = await app.contact(headers)
    body = call_body(contact_id, note=f"pay with {CARD}")
    response = await app.client.post("/callLog/preview", json=body, headers=headers)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["successful"] is True and preview["format"] == "text/plain"
    assert preview["plugins"] == ["redact_pci", "upper_note"]
    assert "- Note: PAY WITH [CARD NUMBER REDACTED]" in preview["body"]
    assert await app.activities(headers) == []
    follow_up = await app.client.post("/callLog", json=body, headers=headers)
    assert follow_up.json()["successful"] is True  # no reservation was left behind


async def test_preview_requires_a_session_and_a_known_kind(app: App) -> None:
    assert (await app.client.post("/callLog/preview", json={})).json()["error"] == (
        "Please go to Settings and authorize CRM platform"
    )
    headers = await app.login()
    response = await app.client.post("/callLog/preview?kind=fax", json={}, headers=headers)
    assert response.status_code == 400


async def test_message_log_preview(app: App) -> None:
    headers = await app.login()
    body = {
        "logInfo": {
            "conversationId": "conv-1",
            "conversationLogId": "conv-1-2024-01-15",
            "correspondents": [{"phoneNumber": "+16505550100"}],
            "messages": [{"id": 1, "subject": "hello", "direction": "Inbound", "creationTime": "2024-01-15T10:00:00Z"}],
        },
        "contactId": "c-1",
    }
    response = await app.client.post("/messageLog/preview", json=body, headers=headers)
    assert response.status_code == 200 and response.json()["successful"] is True
    assert response.json()["plugins"] == []


@pytest.mark.parametrize("plugin_files", [shipped("webhook_notifier")], indirect=True)
@pytest.mark.parametrize("hooks", [(fast_worker,)])
async def test_a_logged_call_is_announced_to_the_webhook(app: App, hooks: tuple[Callable[[Runtime], None], ...]) -> None:
    with receiver(fail_first=1) as hook:
        headers = await app.login()
        setting = plugin_setting("webhook_notifier", {"config": {"url": {"value": hook.url}}})
        assert (await app.client.post("/user/settings", json=setting, headers=headers)).status_code == 200
        contact_id = await app.contact(headers)
        answer = (await app.client.post("/callLog", json=call_body(contact_id), headers=headers)).json()
        assert answer["successful"] is True
        deliveries = await eventually(lambda: value(hook.delivered))
    ((_, payload),) = deliveries
    summary = msgspec.json.decode(payload)
    assert summary["logId"] == answer["logId"] and summary["event"] == "call.create"
    assert len(hook.requests) == 2
