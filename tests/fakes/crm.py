"""An in-memory CRM REST API served through ``httpx.MockTransport``.

Routes (base ``https://fake-crm.test``):

    POST  /activities                 create {kind, subject, body, contactId, sessionId} -> {id}
    GET   /activities/{id}            -> the activity
    PATCH /activities/{id}            {body?, subject?, append?} (append adds a line to the body)
    PUT   /activities/{id}/dispositions   merge -> the activity

``fail_next(route, failure)`` makes the next call of a route ("create", "read", "update",
"dispositions") fail; ``delay`` slows every answer so concurrent requests overlap.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any, Literal

import httpx

__all__ = ["BASE_URL", "Failure", "FakeCrm"]

BASE_URL = "https://fake-crm.test"
Failure = Literal["500", "429", "404", "timeout", "garbage"]
Route = Literal["create", "read", "update", "dispositions"]


class FakeCrm:
    def __init__(self, *, delay: float = 0.0) -> None:
        self.activities: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[Route, str]] = []  # (route, activity id or "")
        self.delay = delay
        self._failures: dict[str, list[Failure]] = {}
        self._ids = itertools.count(1001)

    # ------------------------------------------------------------------ scripting

    def fail_next(self, route: Route, failure: Failure, times: int = 1) -> None:
        self._failures.setdefault(route, []).extend([failure] * times)

    def count(self, route: Route) -> int:
        return sum(1 for r, _ in self.requests if r == route)

    def transport(self, fallback: Callable[[httpx.Request], httpx.Response] | None = None) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            if request.url.host != "fake-crm.test":
                if fallback is not None:
                    return fallback(request)
                return httpx.Response(503, json={"error": "no network in tests"})
            return await self._handle(request)

        return httpx.MockTransport(handle)

    # ------------------------------------------------------------------ the API

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        parts = [p for p in request.url.path.split("/") if p]
        route: Route
        if request.method == "POST" and parts == ["activities"]:
            route = "create"
        elif request.method == "GET" and len(parts) == 2:
            route = "read"
        elif request.method == "PATCH" and len(parts) == 2:
            route = "update"
        elif request.method == "PUT" and len(parts) == 3 and parts[2] == "dispositions":
            route = "dispositions"
        else:
            return httpx.Response(404, json={"error": "no such route"})
        activity_id = parts[1] if len(parts) > 1 else ""
        self.requests.append((route, activity_id))
        pending = self._failures.get(route)
        if pending:
            failure = pending.pop(0)
            if failure == "timeout":
                raise httpx.ReadTimeout("fake CRM did not answer", request=request)
            if failure == "garbage":
                return httpx.Response(200, content=b"<html>surprise</html>", headers={"content-type": "text/html"})
            return httpx.Response(int(failure), json={"error": f"scripted {failure}"})
        data = json.loads(request.content or b"{}")
        if route == "create":
            new_id = str(next(self._ids))
            self.activities[new_id] = {"id": new_id, "dispositions": {}, **data}
            return httpx.Response(201, json={"id": new_id})
        activity = self.activities.get(activity_id)
        if activity is None:
            return httpx.Response(404, json={"error": "activity not found"})
        if route == "update":
            if "append" in data:
                activity["body"] = f"{activity.get('body', '')}{data['append']}"
            for key in ("body", "subject"):
                if data.get(key) is not None:
                    activity[key] = data[key]
        elif route == "dispositions":
            activity["dispositions"].update(data)
        return httpx.Response(200, json=activity)
