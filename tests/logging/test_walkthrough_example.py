"""examples/logging_walkthrough.py runs against a real uvicorn server on 127.0.0.1 (STYLE 20)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from composer.app import create_app
from tests._servers import serve_in_thread
from tests.logging.conftest import logging_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "logging_walkthrough.py"


def test_logging_walkthrough(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(logging_settings(tmp_path))
    with serve_in_thread(app) as base_url:
        module = runpy.run_path(str(EXAMPLE))
        result = module["main"](base_url, "walkthrough-key")
    out = capsys.readouterr().out
    assert "Existing log for session walkthrough-" in out
    call = result["call"]["body"]
    assert "Follow-up: send the contract on Friday (typed in the CRM)\n" in call
    assert "Contract sent." in call and "Renewal agreed" not in call
    assert "https://media.example.com/recording/42" in call
    assert call.count("Duration") == 1
    bodies = sorted((a["body"] for a in result["sms"]), key=lambda b: "Thanks" in b)
    assert len(bodies) == 2
    first_day, second_day = bodies
    assert first_day.index("Can you call me") < first_day.index("Great, talk tomorrow.")
    assert "Thanks for the call!" in second_day and "Great" not in second_day
