"""End-to-end HTTP benchmark: one server process, the logging routes, 10 and 50 connections.

Run: ``.venv/bin/python -m benchmarks.bench_http [--quick]`` (or ``python -m benchmarks``).

Starts ``appconnect serve`` (one uvicorn process, uvloop + httptools, SQLite in a temporary
directory) with a no-I/O connector that only this benchmark registers
(``APPCONNECT_CONNECTOR_MODULES=benchmarks._noio_connector``), so what is measured is the
server itself: routing, session JWT, body decoding, reservations and linkage rows in SQLite,
composition, plugins (none loaded) and the answer. The load comes from ``benchmarks._loadgen``
in a separate process (raw HTTP/1.1 keep-alive on uvloop). For each route and concurrency it
prints requests per second, p50/p99 latency and server CPU milliseconds per request (from
``/proc/<pid>/stat``), then the ratios against the reference server.

Routes: GET /isAlive; GET /contact (a new number every request: cache miss, connector,
cache write); POST /callLog (a new session every request); PATCH /callLog (over 500 logged
sessions: lookup, getCallLog, merge, updateCallLog); POST /messageLog (a new conversation
with one SMS every request).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
ROUTES = (
    ("isAlive", "GET /isAlive"),
    ("contact", "GET /contact"),
    ("callLog", "POST /callLog"),
    ("patchCallLog", "PATCH /callLog"),
    ("messageLog", "POST /messageLog"),
)
CONCURRENCY = (10, 50)
PATCH_POOL = 500
# The reference server (Node, one process, SQLite) on the same class of machine.
REFERENCE_RPS = {"isAlive": 11_100, "contact": 506, "callLog": 232, "messageLog": 221}
REFERENCE_CALLLOG_CPU_MS = 3.7


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "APPCONNECT_HOST": "127.0.0.1",
        "APPCONNECT_PORT": str(port),
        "APPCONNECT_DATA_DIR": str(data_dir),
        "APPCONNECT_PLUGINS_DIR": str(data_dir / "no-plugins"),
        "APPCONNECT_CONNECTOR_MODULES": "benchmarks._noio_connector",
        "APPCONNECT_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    log = open(data_dir / "server.log", "wb")  # kept open for the server's lifetime
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("appconnect")), "serve"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited:\n{(data_dir / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/isAlive", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start in 30 s")


def _prepare(base_url: str) -> str:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        login = http.post("/apiKeyLogin", json={"platform": "bench", "apiKey": "bench"})
        login.raise_for_status()
        jwt: str = login.json()["jwtToken"]
        http.headers["Authorization"] = f"Bearer {jwt}"
        for n in range(PATCH_POOL):
            body = {
                "logInfo": {"id": f"p{n}", "sessionId": f"pool-{n}", "direction": "Inbound", "duration": 95,
                            "from": {"phoneNumber": "+16505550100"}, "to": {"phoneNumber": "+14155550199"},
                            "startTime": "2024-03-05T14:07:09.000Z", "result": "Call connected"},
                "contactId": "c-1",
                "note": "first",
                "hashedExtensionId": "bench-ext",
            }
            answer = http.post("/callLog", json=body).json()
            if not answer.get("successful"):
                raise SystemExit(f"could not create the PATCH pool: {answer}")
    return jwt


def _load(port: int, pid: int, kind: str, connections: int, jwt: str, duration: float) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "benchmarks._loadgen", "--port", str(port), "--server-pid", str(pid),
        "--kind", kind, "--connections", str(connections), "--duration", str(duration), "--jwt", jwt,
        "--run", uuid.uuid4().hex[:8], "--pool", str(PATCH_POOL),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=duration + 60)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str]) -> int:
    """``--quick``: 2 s per row; ``--seconds=N``: N s per row; ``--routes=isAlive,callLog``: only those rows."""
    duration = 2.0 if "--quick" in argv else 5.0
    duration = next((float(a.split("=", 1)[1]) for a in argv if a.startswith("--seconds=")), duration)
    chosen = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--routes=")), None)
    routes = [r for r in ROUTES if chosen is None or r[0] in chosen]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        port = _free_port()
        server = _start_server(Path(tmp), port)
        try:
            jwt = _prepare(f"http://127.0.0.1:{port}")
            print(f"HTTP benchmark: one server process (uvloop, httptools, SQLite), {duration:g} s per row, {os.cpu_count()} CPUs")
            print(f"{'route':<18} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'errors':>7}")
            for kind, label in routes:
                for connections in CONCURRENCY:
                    row = _load(port, server.pid, kind, connections, jwt, duration)
                    results.append(row)
                    print(
                        f"{label:<18} {connections:>5} {row['rps']:>9,.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
                        f" {row['cpu_ms_per_request']:>11.3f} {row['errors']:>7}",
                        flush=True,
                    )
                    if row["errors"]:
                        print(f"    first error: {row['first_error']}")
        finally:
            server.terminate()
            server.wait(timeout=15)
            complaints = _server_complaints(Path(tmp) / "server.log")
    _summary(results)
    if complaints:
        # A fast run that logged warnings (a failing checkpoint, a slow lock) is not a clean run.
        print(f"\nthe server logged {len(complaints)} warning(s) or error(s); the first:")
        for line in complaints[:5]:
            print(f"  {line}")
    return 1 if complaints or any(r["errors"] for r in results) else 0


def _server_complaints(log: Path) -> list[str]:
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if " WARNING " in line or " ERROR " in line or "Traceback" in line]


def _summary(results: list[dict[str, Any]]) -> None:
    best = {}
    for row in results:
        best[row["kind"]] = max(best.get(row["kind"], 0.0), row["rps"])
    alive = best.get("isAlive", float("nan"))
    print("\nbest req/s against the reference server (Node, one process) and against our /isAlive:")
    for kind, label in ROUTES:
        if kind not in best:
            continue
        reference = REFERENCE_RPS.get(kind)
        versus = f"{best[kind] / reference:5.1f}x reference" if reference else " " * 17
        print(f"  {label:<18} {best[kind]:>9,.0f}  {versus}  {100 * best[kind] / alive:5.1f}% of /isAlive")
    cpus = [r["cpu_ms_per_request"] for r in results if r["kind"] == "callLog"]
    if cpus:
        print(f"  POST /callLog CPU: {min(cpus):.3f} ms/request (reference {REFERENCE_CALLLOG_CPU_MS} ms)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
