"""examples/quickstart.py runs against a real server on 127.0.0.1 (examples are code: STYLE 20)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from composer.app import create_app
from tests._servers import serve_in_thread
from tests.api.conftest import make_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_quickstart_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(make_settings(tmp_path))
    with serve_in_thread(app) as base_url:
        module = runpy.run_path(str(EXAMPLES / "quickstart.py"))
        module["main"](base_url, "quickstart-test-key")
    out = capsys.readouterr().out
    assert out.count("-> matched: ['Pat Customer']") == 3
    assert "-> matched: ['Maya Patel']" in out
