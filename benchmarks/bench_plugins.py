"""Micro-benchmark of the plugin pipeline: what N no-op plugins cost.

Run: ``.venv/bin/python -m benchmarks.bench_plugins [--quick]``. Two measurements, each for
0, 1, 10 and 50 no-op plugins (TRANSFORM, returning None, each bounded by its timeout):

* ``prepare``: ``Pipeline.prepare`` alone, microseconds per call;
* ``POST /callLog``: the whole request in process through the ASGI app (session JWT, the
  reservation and finalisation in SQLite, composition, a connector without I/O), with the
  plugins dropped into a plugins directory and discovered as in production.

"per plugin" is (time with N - time with 0) / N. The target is below 5 us per plugin.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from composer.app import create_app
from composer.pipeline import CallLogEvent, ContactRef, PluginContext, Stage, plugin
from composer.pipeline._contract import DECLARATION_ATTRIBUTE, PluginSpec, validate
from composer.pipeline.runner import Pipeline
from composer.settings import Settings

COUNTS = (0, 1, 10, 50)
TARGET_US = 5.0

NOOP_FILE = '''
from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin


@plugin(name="noop_{i:02d}", stage=Stage.TRANSFORM, order={i})
async def noop(event: CallLogEvent, context: PluginContext) -> None:
    return None
'''


def _noop_spec(i: int) -> PluginSpec:
    @plugin(name=f"noop_{i:02d}", stage=Stage.TRANSFORM, order=i)
    async def noop(event: CallLogEvent, context: PluginContext) -> None:
        return None

    return validate(getattr(noop, DECLARATION_ATTRIBUTE), source="bench")


EVENT = CallLogEvent(
    kind="call.create",
    platform="bench",
    user_id="u-1",
    session_id="s-1",
    call_log={"sessionId": "s-1", "direction": "Inbound"},
    contact=ContactRef(id="c-1", name="Pat Customer", phone_number="+16505550100"),
    note="Asked about renewal.",
)
CONTEXT = PluginContext(platform="bench", user_id="u-1", user_settings={"someSetting": {"value": True}})


async def _prepare_us(pipeline: Pipeline, iterations: int, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            await pipeline.prepare(EVENT, context=CONTEXT)
        samples.append((time.perf_counter_ns() - start) / iterations / 1000)
    return statistics.median(samples)


def _call_body(n: int) -> dict[str, Any]:
    return {
        "logInfo": {
            "id": f"rec-{n}",
            "sessionId": f"bench-{n}",
            "direction": "Inbound",
            "from": {"phoneNumber": "+16505550100", "name": "Pat Customer"},
            "to": {"phoneNumber": "+16505550199", "extensionNumber": "101"},
            "startTime": "2024-03-05T14:07:09.000Z",
            "duration": 95,
            "result": "Accepted",
        },
        "contactId": "c-1",
        "contactName": "Pat Customer",
        "note": "Asked about renewal. Call back Friday.",
    }


class _App:
    """One app with ``count`` no-op plugins in its plugins directory, logged in."""

    def __init__(self, count: int, workdir: Path) -> None:
        plugins_dir = workdir / f"plugins-{count}"
        plugins_dir.mkdir()
        for i in range(count):
            (plugins_dir / f"noop_{i:02d}.py").write_text(NOOP_FILE.format(i=i))
        settings = Settings(
            data_dir=workdir / f"data-{count}",
            secret_key="b" * 48,
            data_key=base64.b64encode(b"b" * 32).decode(),
            plugins_dir=plugins_dir,
            log_level="ERROR",
            connector_modules=("benchmarks._noio_connector",),
        )
        self.count = count
        self.app = create_app(settings)
        self.sent = 0
        self.samples: list[float] = []

    async def __aenter__(self) -> _App:
        self._lifespan = self.app.lifespan()
        await self._lifespan.__aenter__()
        assert len(self.app.state.runtime.pipeline.plugins) == self.count
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://bench")
        login = await self.client.post("/apiKeyLogin", json={"platform": "bench", "apiKey": "k"})
        self.headers = {"Authorization": f"Bearer {login.json()['jwtToken']}"}
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self._lifespan.__aexit__(None, None, None)

    async def burst(self, requests: int) -> float:
        """Microseconds per request over ``requests`` sequential creates."""
        start = time.perf_counter_ns()
        for _ in range(requests):
            self.sent += 1
            response = await self.client.post("/callLog", json=_call_body(self.sent), headers=self.headers)
        elapsed = (time.perf_counter_ns() - start) / requests / 1000
        assert response.json()["successful"] is True, response.text
        return elapsed


async def _http_us(workdir: Path, requests: int, rounds: int) -> dict[int, tuple[float, float]]:
    """(median, spread %) per plugin count; the apps take turns so drift hits all alike."""
    async with contextlib.AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(_App(count, workdir)) for count in COUNTS]
        for app in apps:
            await app.burst(100)  # warm-up
        for round_number in range(rounds):
            shift = round_number % len(apps)  # rotate, so no app always runs first
            for app in apps[shift:] + apps[:shift]:
                app.samples.append(await app.burst(requests))
        return {app.count: _median_and_spread(app.samples) for app in apps}


def _median_and_spread(samples: list[float]) -> tuple[float, float]:
    median = statistics.median(samples)
    return median, (max(samples) - min(samples)) / 2 / median * 100


def _row(label: str, count: int, value: float, base: float, spread: float | None = None) -> str:
    per_plugin = f"{(value - base) / count:8.2f}" if count else "       -"
    noise = f"  +-{spread:.0f}%" if spread is not None else ""
    return f"{label:<14} {count:>7} {value:>12.2f} {per_plugin:>12}{noise}"


async def _main(quick: bool) -> int:
    logging.disable(logging.WARNING)  # one INFO line per request would be the benchmark
    iterations, runs, requests, rounds = (2_000, 3, 100, 3) if quick else (20_000, 7, 300, 9)
    print(f"plugin pipeline overhead: no-op TRANSFORM plugins; target < {TARGET_US:g} us per plugin")
    print(f"{'path':<14} {'plugins':>7} {'us per call':>12} {'us/plugin':>12}")
    worst = 0.0
    base = 0.0
    for count in COUNTS:
        pipeline = Pipeline([_noop_spec(i) for i in range(count)])
        value = await _prepare_us(pipeline, iterations, runs)
        base = value if count == 0 else base
        print(_row("prepare", count, value, base))
        if count:
            worst = max(worst, (value - base) / count)
    with tempfile.TemporaryDirectory() as tmp:
        timings = await _http_us(Path(tmp), requests, rounds)
    for count in COUNTS:
        median, spread = timings[count]
        print(_row("POST /callLog", count, median, timings[0][0], spread))
    print("POST /callLog: per-plugin figures inside the +- run-to-run spread are noise, not cost")
    verdict = "OK" if worst < TARGET_US else "ABOVE TARGET"
    print(f"prepare: worst {worst:.2f} us per plugin ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(_main("--quick" in sys.argv[1:])))
