"""Fixtures of the pipeline tests; helpers with logic live in tests/pipeline/_helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.settings import Settings
from tests.pipeline._helpers import settings_for


@pytest.fixture
def plugins_dir(tmp_path: Path) -> Path:
    path = tmp_path / "plugins"
    path.mkdir()
    return path


@pytest.fixture
def settings(tmp_path: Path, plugins_dir: Path) -> Settings:
    return settings_for(tmp_path, plugins_dir=plugins_dir)
