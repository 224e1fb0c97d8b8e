"""``appconnect plugins``: the pipeline in execution order, and what did not load."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from composer.cli import main
from composer.pipeline.listing import print_pipeline
from composer.settings import Settings
from tests.pipeline._helpers import write_plugin
from tests.plugins._load import REPO_PLUGINS


def listing(settings: Settings) -> tuple[int, str]:
    out = io.StringIO()
    status = print_pipeline(settings, out, entry_points=[])
    return status, out.getvalue()


def test_the_shipped_plugins_in_execution_order(settings: Settings) -> None:
    status, text = listing(settings.with_overrides(plugins_dir=REPO_PLUGINS))
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == f"Plugin pipeline (3 plugins, directory {REPO_PLUGINS})"
    header = lines[2].split()
    assert header == ["#", "stage", "order", "name", "applies_to", "timeout", "on_error", "config", "source"]
    rows = [line.split() for line in lines[3:6]]
    assert rows == [
        ["1", "ENRICH", "50", "contact_company", "call.create", "3s", "skip", "ContactCompanyConfig", str(REPO_PLUGINS / "contact_company.py")],
        ["2", "TRANSFORM", "10", "redact_pci", "all", "2s", "abort", "RedactConfig", str(REPO_PLUGINS / "redact_pci.py")],
        ["3", "SIDE_EFFECT", "100", "webhook_notifier", "all", "15s", "retry", "x6", "WebhookConfig", str(REPO_PLUGINS / "webhook_notifier.py")],
    ]
    assert "Built in: remote.<pluginId>" in text and "Problems" not in text


def test_import_errors_are_listed_and_the_status_is_1(settings: Settings, plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "broken.py", "import missing_dependency_xyz\n")
    write_plugin(plugins_dir, "ok.py", "from composer.pipeline import Stage, plugin\n\n@plugin(name='ok', stage=Stage.ENRICH)\nasync def ok(event, context): ...\n")
    status, text = listing(settings)
    assert status == 1
    assert text.splitlines()[3].split()[:4] == ["1", "ENRICH", "100", "ok"]
    assert "Problems (1): these plugins are NOT loaded" in text
    assert f"{plugins_dir / 'broken.py'}: import failed (line 1): ModuleNotFoundError" in text


def test_strict_mode_says_the_server_would_not_start(settings: Settings, plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "broken.py", "raise ValueError('no')\n")
    status, text = listing(settings.with_overrides(plugins_strict=True))
    assert status == 1 and "the server would refuse to start" in text


def test_an_empty_directory(settings: Settings) -> None:
    status, text = listing(settings)
    assert status == 0 and "(no plugins found)" in text


def test_the_cli_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("APPCONNECT_PLUGINS_DIR", str(REPO_PLUGINS))
    monkeypatch.setenv("APPCONNECT_DATA_DIR", str(tmp_path))
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert out.index("contact_company") < out.index("redact_pci") < out.index("webhook_notifier")
