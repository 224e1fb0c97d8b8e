"""A webhook receiver on 127.0.0.1 (a real HTTP server in a thread) that can fail on purpose."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests._servers import serve_in_thread


class Receiver:
    """Answers ``fail_first`` requests with HTTP 500, then 200; records every request."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.requests: list[tuple[int, dict[str, str], bytes]] = []  # (status answered, headers, body)
        self._lock = threading.Lock()
        self.url = ""

    @property
    def delivered(self) -> list[tuple[dict[str, str], bytes]]:
        with self._lock:
            return [(h, b) for status, h, b in self.requests if status == 200]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        with self._lock:
            status = 500 if len(self.requests) < self.fail_first else 200
            self.requests.append((status, headers, body))
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok" if status == 200 else b"down"})


@contextmanager
def receiver(fail_first: int = 0) -> Iterator[Receiver]:
    app = Receiver(fail_first)
    with serve_in_thread(app) as base_url:
        app.url = f"{base_url}/hook"
        yield app
