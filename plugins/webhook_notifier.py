"""Post a JSON summary of every written log to a webhook (chat, ticketing, a data pipeline).

Why SIDE_EFFECT: the receiver must never slow down or break logging. The summary is sent
after the CRM write, from the durable task table: a receiver that is down or answers an
error gets the same delivery again later (exponential backoff, up to ``max_attempts``), and
a restart in between loses nothing. Every attempt of one delivery carries the same
``Idempotency-Key`` header, so a receiver can drop repeats; with a ``secret`` the body is
signed (``X-AppConnect-Signature: sha256=<hex HMAC of the body>``).

The summary holds ids, the contact's name and type, the subject, result and duration (calls)
or the message count (SMS); the note only with ``include_note``. Phone numbers are never
sent.

Config (``plugin_webhook_notifier``): ``url`` (required: without it the plugin is inactive
for that account), ``secret``, ``include_note`` (default false), ``timeout`` (seconds,
default 5).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import msgspec

from composer.pipeline import LogEvent, LogResult, MessageLogEvent, PluginContext, Stage, plugin


class WebhookConfig(msgspec.Struct, kw_only=True):
    url: str
    secret: str = ""
    include_note: bool = False
    timeout: float = 5.0


class WebhookRejected(Exception):
    """The receiver did not accept the delivery; the task system retries it."""


def summary(event: LogEvent, result: LogResult, *, task_id: str, include_note: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event": event.kind,
        "deliveryId": task_id,
        "platform": event.platform,
        "userId": event.user_id,
        "logId": result.log_id,
    }
    if event.contact is not None:
        contact = event.contact
        body["contact"] = {"id": contact.id, "name": contact.name, "type": contact.type}
        if contact.company:
            body["contact"]["company"] = contact.company
    if isinstance(event, MessageLogEvent):
        body.update(conversationId=event.conversation_id, messageCount=len(event.messages))
        return body
    body.update(sessionId=event.session_id, subject=event.subject, result=event.result)
    if isinstance(event.duration, int | float):
        body["duration"] = event.duration
    if include_note and event.note is not None:
        body["note"] = event.note
    return body


@plugin(name="webhook_notifier", stage=Stage.SIDE_EFFECT, order=100, timeout=15.0, max_attempts=6, config=WebhookConfig)
async def webhook_notifier(event: LogEvent, result: LogResult, context: PluginContext, config: WebhookConfig) -> None:
    """POST a JSON summary of the written log to the configured URL (retried until accepted)."""
    if not config.url.startswith(("https://", "http://")):
        raise ValueError("plugin_webhook_notifier: url must start with https:// or http://")
    if context.http is None:
        raise RuntimeError("no HTTP client in the plugin context")
    content = msgspec.json.encode(summary(event, result, task_id=context.task_id, include_note=config.include_note))
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": context.task_id,
        "User-Agent": "appconnect-webhook-notifier/1",
    }
    if config.secret:
        signature = hmac.new(config.secret.encode(), content, hashlib.sha256).hexdigest()
        headers["X-AppConnect-Signature"] = f"sha256={signature}"
    response = await context.http.post(config.url, content=content, headers=headers, timeout=config.timeout)
    if not response.is_success:
        raise WebhookRejected(f"the webhook answered HTTP {response.status_code}")
