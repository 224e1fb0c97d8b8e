"""plugins/webhook_notifier.py against a real receiver on 127.0.0.1, through the task system."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from pathlib import Path
from typing import Any

import msgspec
import pytest

from composer.pipeline import LogResult
from composer.settings import Settings
from tests.pipeline._helpers import (
    call_event,
    context,
    eventually,
    message_event,
    running,
    settings_for,
    value,
)
from tests.plugins._load import REPO_PLUGINS, load_plugin
from tests.plugins._receiver import receiver


def webhook_settings(url: str, **fields: object) -> dict[str, object]:
    config = {"url": {"value": url}, **{k: {"value": v} for k, v in fields.items()}}
    return {"plugin_webhook_notifier": {"value": {"config": config}}}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, plugins_dir=REPO_PLUGINS)


async def test_fails_twice_then_succeeds_and_is_delivered_exactly_once(settings: Settings) -> None:
    with receiver(fail_first=2) as hook:
        async with running(settings) as rt:
            user = context(user_settings=webhook_settings(hook.url, secret="s3cret"))
            await rt.pipeline.after(call_event(note="private"), result={"successful": True, "logId": "A-1"}, context=user)
            await eventually(lambda: value(hook.delivered))
            await asyncio.sleep(0.3)  # nothing more may arrive
            (task,) = await rt.store.plugin_tasks.list(plugin="webhook_notifier")
        assert [status for status, _, _ in hook.requests] == [500, 500, 200]
        assert (task.state, task.attempts) == ("done", 3)
        ((headers, body),) = hook.delivered
        assert {h["idempotency-key"] for _, h, _ in hook.requests} == {task.id}
        expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["x-appconnect-signature"] == f"sha256={expected}"
        summary = msgspec.json.decode(body)
        assert summary == {
            "event": "call.create",
            "deliveryId": task.id,
            "platform": "local",
            "userId": "u-1",
            "logId": "A-1",
            "contact": {"id": "c-1", "name": "Pat Doe", "type": "Contact"},
            "sessionId": "s-1",
            "subject": None,
            "result": None,
        }
        assert b"private" not in body and b"+1650" not in body  # no note by default, never a phone number


def test_the_note_is_sent_only_when_asked_and_message_logs_are_summarised() -> None:
    module = load_plugin("webhook_notifier")
    result = LogResult(log_id="9")
    with_note = module.summary(call_event(note="n", duration=42), result, task_id="t", include_note=True)
    assert with_note["note"] == "n" and with_note["duration"] == 42
    sms = module.summary(message_event(), result, task_id="t", include_note=True)
    assert sms["messageCount"] == 1 and "note" not in sms


async def test_a_receiver_that_never_accepts_ends_as_a_dead_letter(settings: Settings) -> None:
    with receiver(fail_first=100) as hook:
        async with running(settings) as rt:
            user = context(user_settings=webhook_settings(hook.url))
            await rt.pipeline.after(call_event(), result={"logId": "A-2"}, context=user)
            await eventually(lambda: rt.store.plugin_tasks.list(state="dead"), limit=15)
            (task,) = await rt.store.plugin_tasks.list(plugin="webhook_notifier")
    assert task.attempts == 6 and len(hook.requests) == 6
    assert task.last_error == "WebhookRejected: the webhook answered HTTP 500"


async def test_accounts_without_a_url_queue_nothing(settings: Settings) -> None:
    async with running(settings) as rt:
        await rt.pipeline.after(call_event(), result={"logId": "A-3"}, context=context())
        assert await rt.store.plugin_tasks.list() == []


async def test_an_unreachable_receiver_is_retried(settings: Settings) -> None:
    async with running(settings) as rt:
        user = context(user_settings=webhook_settings("http://127.0.0.1:9/hook", timeout=0.5))
        await rt.pipeline.after(call_event(), result={"logId": "A-4"}, context=user)
        async def retried() -> list[Any]:
            rows = await rt.store.plugin_tasks.list()
            return rows if rows and rows[0].attempts >= 2 else []

        rows = await eventually(retried)
        assert rows[0].last_error.startswith("ConnectError")

