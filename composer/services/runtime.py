"""The long-lived parts every service needs, opened once and closed in reverse order.

``open_runtime`` is used by the HTTP app's lifespan, by ``appconnect mcp`` (stdio) and by
the CLI, so all three run the same services over the same resources.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from composer.pipeline.runner import Pipeline
from composer.security.crypto import DecryptionError, SecretBox
from composer.security.hashing import Hasher
from composer.security.jwt import SessionTokens
from composer.security.keys import ServerKeys, load_or_create_keys
from composer.settings import ConfigurationError, Settings
from composer.store import Store, open_store
from composer.store._util import load_json
from composer.store.exceptions import LockTimeout
from connectors.registry import ConnectorRegistry

__all__ = ["Runtime", "open_runtime"]

log = logging.getLogger(__name__)

RegistryHook = Callable[["Runtime"], None]


@dataclass(slots=True)
class Runtime:
    settings: Settings
    keys: ServerKeys
    store: Store
    registry: ConnectorRegistry
    http: httpx.AsyncClient
    tokens: SessionTokens
    hash: Hasher
    box: SecretBox
    pipeline: Pipeline = field(default_factory=Pipeline)
    extensions: dict[str, Any] = field(default_factory=dict)
    _refresh_locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    @asynccontextmanager
    async def refresh_lock(self, user_id: str) -> AsyncIterator[None]:
        """Serialise token refresh per user: across processes on PostgreSQL, in-process on SQLite."""
        if self.store.db.dialect == "postgres":
            async with self.store.db.transaction(lock_key=f"refresh:{user_id}"):
                yield
            return
        lock = self._refresh_locks.setdefault(user_id, asyncio.Lock())
        try:
            await asyncio.wait_for(lock.acquire(), timeout=20)
        except TimeoutError:
            raise LockTimeout("Token lock timeout") from None
        try:
            yield
        finally:
            lock.release()

    async def load_proxy_config(self, proxy_id: str) -> dict[str, Any] | None:
        """A stored proxy connector config with its decrypted secretKey injected; None if unusable."""
        row = await self.store.db.fetch_one(
            "SELECT config, secret_key FROM proxy_configs WHERE proxy_id = ?", proxy_id
        )
        if row is None:
            return None
        config = load_json(row["config"], None)
        if not isinstance(config, dict):
            return None
        if row["secret_key"]:
            try:
                config["secretKey"] = self.box.decrypt(row["secret_key"], context=f"proxyConfigs.secretKey:{proxy_id}")
            except DecryptionError:
                log.warning("proxy.config.secret_unreadable proxy_id=%s", proxy_id)
        return config


def _register_builtins(rt: Runtime) -> None:
    import composer.compose
    from connectors.local import RELEASE_NOTES, build_local_connector

    connector, manifest = build_local_connector(
        rt.store.db,
        bodies=composer.compose,  # the local CRM writes and reads bodies as the composer does
        default_region=rt.settings.local_default_region,
        server_url=rt.settings.app_server or f"http://{rt.settings.host}:{rt.settings.port}",
    )
    rt.registry.register_connector("local", connector, manifest=manifest)
    rt.registry.set_release_notes(RELEASE_NOTES)


def _register_configured(rt: Runtime) -> None:
    """Connectors from APPCONNECT_CONNECTOR_MODULES and the ``appconnect.connectors`` entry points."""
    from importlib import import_module
    from importlib.metadata import entry_points

    registrars: list[tuple[str, Any]] = []
    for path in rt.settings.connector_modules:
        try:
            module = import_module(path)
        except Exception as exc:
            raise ConfigurationError(f"APPCONNECT_CONNECTOR_MODULES: cannot import {path}: {exc}") from exc
        register = getattr(module, "register", None)
        if not callable(register):
            raise ConfigurationError(f"APPCONNECT_CONNECTOR_MODULES: {path} has no register(registry) function")
        registrars.append((path, register))
    for entry in entry_points(group="appconnect.connectors"):
        try:
            registrars.append((entry.name, entry.load()))
        except Exception as exc:
            raise ConfigurationError(f"connector entry point {entry.name}: {exc}") from exc
    for name, register in registrars:
        register(rt.registry)
        log.info("connector.module.registered module=%s", name)


def default_manifest(registry: ConnectorRegistry, settings: Settings) -> dict[str, Any]:
    platforms: dict[str, Any] = {}
    for name in registry.get_registered_platforms():
        manifest = registry.get_manifest_copy(name)
        if manifest and isinstance(manifest.get("platforms"), dict) and name in manifest["platforms"]:
            platforms[name] = manifest["platforms"][name]
    return {
        "author": {"name": "App Connect composer", "websiteUrl": ""},
        "version": "0.1.0",
        "serverUrl": settings.app_server or f"http://{settings.host}:{settings.port}",
        "platforms": platforms,
    }


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    registry_hooks: tuple[RegistryHook, ...] = (),
    migrate: bool = True,
) -> AsyncIterator[Runtime]:
    keys = load_or_create_keys(settings)
    box = SecretBox(keys.data_key)
    async with AsyncExitStack() as stack:
        store = await open_store(settings.effective_database_url, box, migrate=migrate)
        stack.push_async_callback(store.close)
        http = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.crm_timeout_seconds, connect=10.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            transport=transport,
            follow_redirects=False,
        )
        stack.push_async_callback(http.aclose)
        rt = Runtime(
            settings=settings,
            keys=keys,
            store=store,
            registry=ConnectorRegistry(),
            http=http,
            tokens=SessionTokens(keys.jwt_secret),
            hash=Hasher(keys.hash_key),
            box=box,
        )
        _register_builtins(rt)
        _register_configured(rt)
        for hook in registry_hooks:
            hook(rt)
        rt.registry.set_default_manifest(default_manifest(rt.registry, settings))
        from composer.services.maintenance import running_maintenance
        from composer.services.plugins import open_plugins

        await stack.enter_async_context(running_maintenance(store))
        rt.pipeline = await stack.enter_async_context(open_plugins(rt))
        yield rt
