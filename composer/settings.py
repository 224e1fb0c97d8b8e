"""All configuration, read from the environment once at process start.

Nothing else in the project reads ``os.environ``: ``Settings.from_env()`` builds a frozen
object that is passed down explicitly. Every field has one row in the README's
configuration table (a test keeps the two in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = ["ENV_VARIABLES", "ConfigurationError", "Settings"]


class ConfigurationError(Exception):
    """A configuration value is unusable; raised at start-up, naming the variable."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def _int(name: str, raw: str, *, minimum: int, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigurationError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite file in data_dir
    secret_key: str = ""  # empty: generated once and kept in data_dir (0600)
    data_key: str = ""  # base64 AES-256 key for secrets at rest; empty: generated like secret_key
    plugins_dir: Path = Path("plugins")
    plugins_strict: bool = False
    trace_plugins: bool = False
    log_level: str = "INFO"
    hash_key: str = ""  # salt of the H() helper; empty: derived from secret_key
    use_cache: bool = True
    app_server: str = ""  # public base URL used to build OAuth redirect URLs
    ringcentral_server: str = "https://platform.ringcentral.com"
    local_default_region: str = "US"
    max_body_bytes: int = 50 * 1024 * 1024
    crm_timeout_seconds: float = 30.0
    plugin_catalog_url: str = "https://appconnect.labs.ringcentral.com/plugins"
    connector_modules: tuple[str, ...] = ()
    mcp_jwt: str = ""  # `appconnect mcp` (stdio): session JWT the tools act with
    mcp_platform: str = ""  # `appconnect mcp`: platform to log in to when no JWT is given
    mcp_api_key: str = ""  # `appconnect mcp`: API key for that login

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "appconnect.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        get = env.get
        defaults = cls()
        log_level = get("APPCONNECT_LOG_LEVEL", defaults.log_level).upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigurationError(f"APPCONNECT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
        database_url = get("DATABASE_URL", "")
        if database_url and not database_url.startswith(("sqlite:", "postgresql:", "postgres:")):
            raise ConfigurationError("DATABASE_URL must start with sqlite:///, postgresql:// or postgres://")
        return cls(
            host=get("APPCONNECT_HOST", defaults.host),
            port=_int("APPCONNECT_PORT", get("APPCONNECT_PORT", str(defaults.port)), minimum=0, maximum=65535),
            data_dir=Path(get("APPCONNECT_DATA_DIR", str(defaults.data_dir))),
            database_url=database_url,
            secret_key=get("APPCONNECT_SECRET_KEY", ""),
            data_key=get("APPCONNECT_DATA_KEY", ""),
            plugins_dir=Path(get("APPCONNECT_PLUGINS_DIR", str(defaults.plugins_dir))),
            plugins_strict=_bool("APPCONNECT_PLUGINS_STRICT", get("APPCONNECT_PLUGINS_STRICT", "0")),
            trace_plugins=_bool("APPCONNECT_TRACE_PLUGINS", get("APPCONNECT_TRACE_PLUGINS", "0")),
            log_level=log_level,
            hash_key=get("APPCONNECT_HASH_KEY", ""),
            use_cache=_bool("APPCONNECT_USE_CACHE", get("APPCONNECT_USE_CACHE", "1")),
            app_server=get("APPCONNECT_APP_SERVER", ""),
            ringcentral_server=get("APPCONNECT_RINGCENTRAL_SERVER", defaults.ringcentral_server),
            local_default_region=get("APPCONNECT_LOCAL_REGION", defaults.local_default_region).upper(),
            max_body_bytes=_int(
                "APPCONNECT_MAX_BODY_BYTES",
                get("APPCONNECT_MAX_BODY_BYTES", str(defaults.max_body_bytes)),
                minimum=1024,
                maximum=1024 * 1024 * 1024,
            ),
            crm_timeout_seconds=float(
                _int("APPCONNECT_CRM_TIMEOUT", get("APPCONNECT_CRM_TIMEOUT", "30"), minimum=1, maximum=600)
            ),
            plugin_catalog_url=get("APPCONNECT_PLUGIN_CATALOG_URL", defaults.plugin_catalog_url),
            connector_modules=tuple(
                m.strip() for m in get("APPCONNECT_CONNECTOR_MODULES", "").split(",") if m.strip()
            ),
            mcp_jwt=get("APPCONNECT_MCP_JWT", ""),
            mcp_platform=get("APPCONNECT_MCP_PLATFORM", ""),
            mcp_api_key=get("APPCONNECT_MCP_API_KEY", ""),
        )


# name -> (default shown in docs, meaning). The README table is checked against this.
ENV_VARIABLES: dict[str, tuple[str, str]] = {
    "APPCONNECT_HOST": ("127.0.0.1", "Interface the server listens on."),
    "APPCONNECT_PORT": ("8000", "TCP port the server listens on."),
    "APPCONNECT_DATA_DIR": ("./data", "Directory for the SQLite file and generated secrets."),
    "DATABASE_URL": ("sqlite in the data dir", "`sqlite:///path` or `postgresql://user:pw@host/db`."),
    "APPCONNECT_SECRET_KEY": ("generated", "HS256 key for session JWTs; generated once into the data dir (0600) if unset."),
    "APPCONNECT_DATA_KEY": ("generated", "Base64 32-byte AES-256-GCM key for secrets at rest; generated like the secret key."),
    "APPCONNECT_PLUGINS_DIR": ("./plugins", "Directory scanned for drop-in plugin modules."),
    "APPCONNECT_PLUGINS_STRICT": ("0", "1 makes a plugin import failure fatal at start-up."),
    "APPCONNECT_TRACE_PLUGINS": ("0", "1 logs every plugin call with its duration and outcome."),
    "APPCONNECT_LOG_LEVEL": ("INFO", "DEBUG, INFO, WARNING or ERROR."),
    "APPCONNECT_HASH_KEY": ("derived", "Salt of the extension/account id hash H(); derived from the secret key if unset."),
    "APPCONNECT_USE_CACHE": ("1", "Note cache for server-side logging (`cacheCallNote`)."),
    "APPCONNECT_APP_SERVER": ("http://HOST:PORT", "Public base URL of this server (OAuth redirects)."),
    "APPCONNECT_RINGCENTRAL_SERVER": ("https://platform.ringcentral.com", "RingCentral API base used to validate RC tokens."),
    "APPCONNECT_LOCAL_REGION": ("US", "Default region for phone numbers without a country code (local CRM)."),
    "APPCONNECT_MAX_BODY_BYTES": ("52428800", "Largest accepted request body."),
    "APPCONNECT_CRM_TIMEOUT": ("30", "Seconds before a CRM call times out."),
    "APPCONNECT_PLUGIN_CATALOG_URL": ("RingCentral catalog", "Where remote plugin manifests are fetched from."),
    "APPCONNECT_CONNECTOR_MODULES": ("(none)", "Comma-separated modules whose `register(registry)` adds connectors at start-up."),
    "APPCONNECT_MCP_JWT": ("(none)", "`appconnect mcp` (stdio): the session JWT (from `POST /apiKeyLogin`) the MCP tools act with."),
    "APPCONNECT_MCP_PLATFORM": ("(none)", "`appconnect mcp` without a JWT: the platform to log in to with an API key at start-up."),
    "APPCONNECT_MCP_API_KEY": ("(none)", "`appconnect mcp` without a JWT: the API key for that login."),
}
