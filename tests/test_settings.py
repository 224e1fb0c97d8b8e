"""Configuration: one Settings object, and one README table that matches it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.settings import ENV_VARIABLES, ConfigurationError, Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.host == "127.0.0.1" and settings.port == 8000
    assert settings.effective_database_url.startswith("sqlite:///")


def test_environment_is_read() -> None:
    settings = Settings.from_env({"APPCONNECT_PORT": "9001", "APPCONNECT_HOST": "0.0.0.0", "APPCONNECT_USE_CACHE": "0"})
    assert settings.port == 9001 and settings.host == "0.0.0.0" and settings.use_cache is False


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"APPCONNECT_PORT": "eighty"}, "APPCONNECT_PORT"),
        ({"APPCONNECT_LOG_LEVEL": "LOUD"}, "APPCONNECT_LOG_LEVEL"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"APPCONNECT_PLUGINS_STRICT": "maybe"}, "APPCONNECT_PLUGINS_STRICT"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env(env)


def test_readme_configuration_table_matches_settings() -> None:
    text = README.read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(ENV_VARIABLES), (
        f"README table and ENV_VARIABLES differ: only in README {documented - set(ENV_VARIABLES)}, "
        f"only in code {set(ENV_VARIABLES) - documented}"
    )


def test_every_variable_is_read_by_from_env() -> None:
    source = (Path(__file__).resolve().parents[1] / "composer" / "settings.py").read_text()
    for name in ENV_VARIABLES:
        assert f'"{name}"' in source.split("ENV_VARIABLES: dict")[0], f"{name} is documented but never read"
