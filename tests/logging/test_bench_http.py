"""The HTTP benchmark runs end to end (server subprocess, load generator, table) with no errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_http_runs_and_every_answer_is_a_success() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_http", "--seconds=0.5", "--routes=callLog,patchCallLog,messageLog"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "POST /callLog" in done.stdout and "POST /messageLog" in done.stdout and "PATCH /callLog" in done.stdout
