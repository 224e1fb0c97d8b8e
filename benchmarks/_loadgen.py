"""HTTP/1.1 keep-alive load generator: one process, uvloop, raw asyncio protocols.

Run by ``bench_http`` in its own process so it never shares an event loop (or the GIL) with
the server. Each connection sends a request, reads the whole response (``Content-Length``
framing, which the server always uses), and sends the next one. After a warm-up, it counts
completed responses and their latencies over a fixed window and reads the server's CPU time
from ``/proc/<pid>/stat`` at both ends of the window. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import time
from collections.abc import Callable

import uvloop

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of ``pid``."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def request_factory(kind: str, jwt: str, run: str, pool: int) -> Callable[[int], bytes]:
    auth = f"Authorization: Bearer {jwt}\r\n"

    def with_body(method: str, path: str, template: str) -> Callable[[int], bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\n{auth}Content-Type: application/json\r\n"

        def build(n: int) -> bytes:
            body = template.replace("__N__", str(n)).replace("__P__", str(n % pool)).encode()
            return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body

        return build

    if kind == "isAlive":
        fixed = b"GET /isAlive HTTP/1.1\r\nHost: bench\r\n\r\n"
        return lambda n: fixed
    if kind == "contact":
        return lambda n: f"GET /contact?phoneNumber=%2B1{n:010d} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n".encode()
    if kind == "callLog":
        return with_body("POST", "/callLog", CALL_TEMPLATE.replace("__RUN__", run))
    if kind == "patchCallLog":
        return with_body("PATCH", "/callLog", PATCH_TEMPLATE)
    if kind == "messageLog":
        return with_body("POST", "/messageLog", MESSAGE_TEMPLATE.replace("__RUN__", run))
    raise SystemExit(f"unknown kind {kind}")


CALL_TEMPLATE = json.dumps(
    {
        "logInfo": {
            "id": "rec-__N__",
            "sessionId": "__RUN__-__N__",
            "telephonySessionId": "tel-__N__",
            "direction": "Inbound",
            "from": {"phoneNumber": "+16505550100", "name": "Pat Customer"},
            "to": {"phoneNumber": "+14155550199", "extensionNumber": "101"},
            "startTime": "2024-03-05T14:07:09.000Z",
            "duration": 95,
            "result": "Call connected",
        },
        "contactId": "c-1",
        "contactName": "Pat Customer",
        "note": "Asked about renewal. Call back Friday.",
        "hashedExtensionId": "bench-ext",
    }
)
PATCH_TEMPLATE = json.dumps(
    {
        "sessionId": "pool-__P__",
        "hashedExtensionId": "bench-ext",
        "note": "Renewal agreed (update __N__).",
        "recordingLink": "https://media.example.com/recording/__N__",
    }
)
MESSAGE_TEMPLATE = json.dumps(
    {
        "logInfo": {
            "conversationId": "conv-__RUN__-__N__",
            "conversationLogId": "conv-__RUN__-__N__-2024-03-05",
            "correspondents": [{"phoneNumber": "+16505550100", "name": "Pat Customer"}],
            "messages": [
                {
                    "id": "__N__",
                    "type": "SMS",
                    "direction": "Inbound",
                    "subject": "Can you call me about the renewal?",
                    "from": {"phoneNumber": "+16505550100"},
                    "to": [{"phoneNumber": "+14155550199"}],
                    "creationTime": "2024-03-05T16:20:00.000Z",
                }
            ],
        },
        "contactId": "c-1",
        "contactName": "Pat Customer",
    }
)


class Stats:
    def __init__(self) -> None:
        self.measuring = False
        self.stopping = False
        self.latencies: list[float] = []
        self.bad = 0
        self.first_bad = ""


class Connection(asyncio.Protocol):
    def __init__(self, build: Callable[[int], bytes], counter: itertools.count[int], stats: Stats, check: bool) -> None:
        self.build, self.counter, self.stats, self.check = build, counter, stats, check
        self.buffer = b""
        self.started = 0.0
        self.transport: asyncio.Transport | None = None
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.send()

    def send(self) -> None:
        assert self.transport is not None
        if self.stats.stopping:
            self.transport.close()
            return
        self.started = time.perf_counter()
        self.transport.write(self.build(next(self.counter)))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = self.buffer[:end]
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        body = self.buffer[end + 4 : end + 4 + length]
        self.buffer = self.buffer[end + 4 + length :]
        elapsed = time.perf_counter() - self.started
        if self.stats.measuring:
            self.stats.latencies.append(elapsed)
            ok = head.startswith(b"HTTP/1.1 200") and (not self.check or b'"successful":true' in body)
            if not ok:
                self.stats.bad += 1
                self.stats.first_bad = self.stats.first_bad or (head[:40] + b" " + body[:200]).decode(errors="replace")
        self.send()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


async def run(args: argparse.Namespace) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    stats = Stats()
    counter = itertools.count(1)
    build = request_factory(args.kind, args.jwt, args.run, args.pool)
    connections = []
    for _ in range(args.connections):
        _, protocol = await loop.create_connection(
            lambda: Connection(build, counter, stats, args.kind != "isAlive"), args.host, args.port
        )
        connections.append(protocol)
    await asyncio.sleep(args.warmup)
    cpu_start, started = cpu_seconds(args.server_pid), time.perf_counter()
    stats.measuring = True
    await asyncio.sleep(args.duration)
    stats.measuring = False
    cpu_end, window = cpu_seconds(args.server_pid), time.perf_counter() - started
    stats.stopping = True
    await asyncio.wait([c.closed for c in connections], timeout=10)
    latencies = sorted(stats.latencies)
    done = len(latencies)

    def percentile(p: float) -> float:
        return latencies[min(done - 1, int(p * done))] * 1000 if done else float("nan")

    return {
        "kind": args.kind,
        "connections": args.connections,
        "requests": done,
        "rps": done / window,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "cpu_ms_per_request": (cpu_end - cpu_start) * 1000 / done if done else float("nan"),
        "errors": stats.bad,
        "first_error": stats.first_bad,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--kind", required=True)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--jwt", default="")
    parser.add_argument("--run", default="run")
    parser.add_argument("--pool", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(uvloop.run(run(args))))


if __name__ == "__main__":
    main()
