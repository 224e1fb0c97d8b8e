"""Plugins around logging: TRANSFORM output is what gets composed and written, an abort writes
nothing, a skipped plugin becomes a warning detail, SIDE_EFFECT plugins are queued after the
write; and the preview shows all that without touching the CRM."""

from __future__ import annotations

import textwrap

import pytest

from composer.services.context import Caller
from composer.services.log_preview import compose_preview
from tests.logging.conftest import Env, call_body, message_body, sms

PLUGINS = {
    "shout.py": textwrap.dedent(
        '''
        import msgspec
        from composer.pipeline import CallLogEvent, LogEvent, MessageLogEvent, PluginContext, Stage, plugin

        @plugin(name="shout", stage=Stage.TRANSFORM, applies_to="*")
        async def shout(event: LogEvent, context: PluginContext) -> LogEvent | None:
            if isinstance(event, CallLogEvent):
                return msgspec.structs.replace(event, note=(event.note or "").upper())
            messages = [{**m, "subject": str(m.get("subject", "")).upper()} for m in event.messages]
            return msgspec.structs.replace(event, messages=messages)
        '''
    ),
    "flaky.py": textwrap.dedent(
        '''
        from composer.pipeline import LogEvent, PluginContext, Stage, plugin

        @plugin(name="flaky", stage=Stage.ENRICH, applies_to="call", on_error="skip")
        async def flaky(event: LogEvent, context: PluginContext) -> None:
            raise RuntimeError("enrichment service down")
        '''
    ),
    "audit.py": textwrap.dedent(
        '''
        from composer.pipeline import LogEvent, LogResult, PluginContext, Stage, plugin

        @plugin(name="audit", stage=Stage.SIDE_EFFECT, applies_to="*")
        async def audit(event: LogEvent, result: LogResult, context: PluginContext) -> None:
            return None
        '''
    ),
}

ABORTING = {
    "guard.py": textwrap.dedent(
        '''
        from composer.pipeline import LogEvent, PluginContext, Stage, plugin

        @plugin(name="guard", stage=Stage.TRANSFORM, applies_to="*", on_error="abort")
        async def guard(event: LogEvent, context: PluginContext) -> None:
            raise RuntimeError("cannot check this text")
        '''
    ),
}


async def _tasks(env: Env) -> list[str]:
    rows = await env.rt.store.db.fetch_all("SELECT plugin FROM plugin_tasks ORDER BY plugin")
    return [r["plugin"] for r in rows]


@pytest.mark.parametrize("plugin_files", [PLUGINS])
async def test_transformed_event_is_what_the_crm_gets(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.post("/callLog", json=call_body(note="quiet words"), headers=fake_headers)
    answer = response.json()
    assert answer["successful"] is True
    sent = env.connector.calls("createCallLog")[0]
    assert sent["note"] == "QUIET WORDS" and "- Note: QUIET WORDS\n" in sent["composedLogDetails"]
    warnings = answer["returnMessage"]["details"][-1]
    assert warnings["title"] == "Plugin warnings" and "flaky" in warnings["items"][0]["text"]
    assert "audit" in await _tasks(env)


@pytest.mark.parametrize("plugin_files", [PLUGINS])
async def test_transform_applies_to_messages(env: Env, fake_headers: dict[str, str]) -> None:
    body = message_body([sms(1, "hello there", "2024-01-15T10:00:00Z")])
    response = await env.client.post("/messageLog", json=body, headers=fake_headers)
    assert response.json()["logIds"] == ["1"]
    assert env.connector.calls("createMessageLog")[0]["message"]["subject"] == "HELLO THERE"


@pytest.mark.parametrize("plugin_files", [ABORTING])
async def test_aborting_plugin_writes_nothing_and_names_itself(env: Env, fake_headers: dict[str, str]) -> None:
    response = await env.client.post("/callLog", json=call_body(), headers=fake_headers)
    answer = response.json()
    assert response.status_code == 200 and answer["successful"] is False
    assert "guard" in answer["returnMessage"]["message"]
    assert env.crm.requests == [] and await env.call_log_rows() == []
    # The reservation was released: once the plugin is gone the log can be written.
    env.rt.pipeline = type(env.rt.pipeline)()
    assert (await env.client.post("/callLog", json=call_body(), headers=fake_headers)).json()["successful"] is True


@pytest.mark.parametrize("plugin_files", [ABORTING])
async def test_aborting_plugin_stops_messages_and_updates(env: Env, fake_headers: dict[str, str]) -> None:
    body = message_body([sms(1, "x", "2024-01-15T10:00:00Z")])
    answer = (await env.client.post("/messageLog", json=body, headers=fake_headers)).json()
    assert answer["successful"] is False and "guard" in answer["returnMessage"]["message"]
    rows = await env.rt.store.db.fetch_all("SELECT id FROM message_logs")
    assert rows == [] and env.crm.requests == []


@pytest.mark.parametrize("plugin_files", [PLUGINS])
async def test_preview_composes_after_plugins_without_writing(env: Env, fake_headers: dict[str, str]) -> None:
    claims = env.rt.tokens.verify(fake_headers["Authorization"].removeprefix("Bearer "))
    caller = Caller(claims=claims, token_state="valid")
    preview = await compose_preview(env.rt, caller, call_body(note="quiet"), "call.create")
    assert preview["successful"] is True and preview["format"] == "text/plain"
    assert preview["body"].startswith("- Note: QUIET\n")
    assert preview["plugins"] == ["shout"] and "flaky" in preview["warnings"][0]
    update = await compose_preview(
        env.rt, caller, {"sessionId": "s-1", "note": "later", "existingBody": "Hand-written\n- Note: old\n"}, "call.update"
    )
    assert update["body"] == "Hand-written\n- Note: LATER\n"
    shared = message_body([sms(1, "hi", "2024-01-15T10:00:00Z")])
    shared["logInfo"].update({"owner": {"name": "Sales Queue"}, "creationTime": "2024-01-15T10:00:00Z", "entities": []})
    shared_preview = await compose_preview(env.rt, caller, shared, "message.create")
    assert "Conversation summary" in shared_preview["body"]
    assert env.crm.requests == [] and await env.call_log_rows() == [] and await _tasks(env) == []
