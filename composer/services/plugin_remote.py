"""The one adapter for remote plugins speaking App Connect's plugin-server protocol.

An admin installs a remote plugin for a RingCentral account (``POST /plugin/register``);
from then on every log of that account goes through it, as a plugin of our own pipeline:

* a *sync* remote plugin is a TRANSFORM plugin (order 500, so local redaction at a lower
  order runs first and unredacted text never leaves the server): ``POST endpointUrl`` with
  ``{data, config, hashedExtensionId}`` and the plugin's bearer token; the answer is the
  (changed) ``data``;
* an *async* remote plugin is a SIDE_EFFECT plugin for call logs: a durable task posts
  ``{data, config, hashedExtensionId, asyncTaskId, callbackUrl}`` (after ``tokenSyncUrl``
  when the manifest has one); the plugin later calls ``POST /plugin/async-callback/{taskId}``.

Each installed plugin appears in the pipeline as ``remote.<pluginId>`` with its settings under
``plugin_<pluginId>`` (enable/disable and the config passed on as is). The async task id is
an HMAC of the durable task id: retries reuse it (one run per log, however often the
dispatch is retried), and nobody without the server key can derive it (256 bits).
A plugin answering with ``x-refreshed-jwt-token`` gets its new token stored.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import logging
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx
import msgspec

from composer.pipeline._contract import PluginSpec, Stage
from composer.pipeline.events import EVENT_KINDS, CallLogEvent, EventKind, LogEvent, LogResult
from composer.pipeline.runner import PluginContext
from composer.pipeline.wire import from_wire, to_wire
from composer.services.plugin_accounts import AccountDirectory
from composer.store.remote_plugins import AsyncRun, Installation

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "ASYNC_RUN_TTL_S",
    "NAME_PREFIX",
    "RemoteManifest",
    "RemotePluginError",
    "RemotePlugins",
    "parse_manifest",
    "suppress_async_dispatch",
]

log = logging.getLogger(__name__)

NAME_PREFIX = "remote."
SYNC_ORDER = 500
ASYNC_ORDER = 500
SYNC_TIMEOUT_S = 10.0
ASYNC_TIMEOUT_S = 30.0
ASYNC_RUN_TTL_S = 7 * 24 * 3600
_INSTALLATIONS_TTL_S = 30.0

# Set while an async callback writes its note: that update must not dispatch async plugins
# again (it would call the same plugin back forever).
suppress_async_dispatch: contextvars.ContextVar[bool] = contextvars.ContextVar("suppress_async_dispatch", default=False)


class RemotePluginError(Exception):
    """A remote plugin server failed; the pipeline's on_error (sync) or retries (async) apply."""


class RemoteManifest(msgspec.Struct, kw_only=True):
    """The fields of a plugin manifest this server reads (others are kept, not interpreted)."""

    endpointUrl: str
    userRegisterEndpointUrl: str = ""
    licenseStatusUrl: str = ""
    requireLicense: bool = False
    tokenSyncUrl: str = ""
    isAsync: bool = False
    supportedLogTypes: list[str] | None = None
    logTypes: list[str] | None = None
    name: str = ""


def _is_http_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def parse_manifest(raw: Any) -> RemoteManifest:
    """Raises ValueError naming what is wrong (shown to the admin who registers)."""
    if isinstance(raw, Mapping) and not raw.get("endpointUrl") and isinstance(raw.get("manifest"), Mapping):
        raw = raw["manifest"]
    try:
        manifest = msgspec.convert(raw, RemoteManifest, strict=False)
    except msgspec.ValidationError as exc:
        raise ValueError(f"invalid plugin manifest: {exc}") from None
    for name in ("endpointUrl", "userRegisterEndpointUrl", "licenseStatusUrl", "tokenSyncUrl"):
        value = getattr(manifest, name)
        if value and not _is_http_url(value):
            raise ValueError(f"invalid plugin manifest: {name} must be an http(s) URL")
    if not manifest.endpointUrl:
        raise ValueError("invalid plugin manifest: endpointUrl is required")
    return manifest


def _kinds(manifest: RemoteManifest) -> frozenset[EventKind]:
    types = manifest.supportedLogTypes or manifest.logTypes
    if not types:
        kinds: set[EventKind] = set(EVENT_KINDS)
    else:
        kinds = set()
        for item in types:
            if item == "call":
                kinds.update(("call.create", "call.update"))
            elif item in ("sms", "fax"):
                kinds.add("message.create")
    if manifest.isAsync:  # async plugins complete into a call log
        kinds.discard("message.create")
    return frozenset(kinds)


def _raw_config(settings: Mapping[str, Any], key: str) -> Any:
    entry = settings.get(key)
    value = entry.get("value") if isinstance(entry, Mapping) else None
    return value.get("config") if isinstance(value, Mapping) else None


class RemotePlugins:
    """The ``PluginProvider`` for installed remote plugins."""

    name = "remote"
    description = "remote plugins installed per RingCentral account (POST /plugin/register)"

    def __init__(self, rt: Runtime, accounts: AccountDirectory) -> None:
        self._rt = rt
        self._directory = accounts
        self._accounts: frozenset[str] = frozenset()
        self._installations: dict[str, tuple[float, list[Installation]]] = {}
        self._key = hmac.new(rt.keys.data_key, b"appconnect:plugin-async-task", hashlib.sha256).digest()

    # ------------------------------------------------------------ bookkeeping

    async def refresh(self) -> None:
        """Reload which accounts have installations (also run periodically, for other instances)."""
        self._accounts = frozenset(await self._rt.store.remote_plugins.accounts())
        self._installations.clear()

    async def changed(self, rc_account_id: str) -> None:
        """An installation of this account was added or removed here."""
        self._installations.pop(rc_account_id, None)
        self._directory.forget(rc_account_id)
        await self.refresh()

    def callback_url(self, task_id: str) -> str:
        settings = self._rt.settings
        base = settings.app_server or f"http://{settings.host}:{settings.port}"
        return f"{base.rstrip('/')}/plugin/async-callback/{task_id}"

    def async_task_id(self, durable_task_id: str, plugin_id: str) -> str:
        digest = hmac.new(self._key, f"{durable_task_id}:{plugin_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    async def _for_account(self, account: str) -> list[Installation]:
        now = time.monotonic()
        hit = self._installations.get(account)
        if hit is not None and hit[0] > now:
            return hit[1]
        found = await self._rt.store.remote_plugins.for_account(account)
        self._installations[account] = (now + _INSTALLATIONS_TTL_S, found)
        return found

    # ------------------------------------------------------------ PluginProvider

    def is_active(self, context: PluginContext) -> bool:
        if not self._accounts:
            return False
        return not context.rc_account_id or context.rc_account_id in self._accounts

    async def plugins_for(self, context: PluginContext, kind: EventKind) -> Sequence[PluginSpec]:
        account = await self._directory.account_of(context)
        if not account or account not in self._accounts:
            return []
        specs = []
        for installation in await self._for_account(account):
            spec = self._spec(installation)
            if spec is None or kind not in spec.applies_to:
                continue
            if spec.stage is Stage.SIDE_EFFECT and suppress_async_dispatch.get():
                continue
            specs.append(spec)
        return specs

    async def plugin_named(self, name: str, context: PluginContext) -> PluginSpec | None:
        if not name.startswith(NAME_PREFIX):
            return None
        account = await self._directory.account_of(context)
        installation = await self._rt.store.remote_plugins.get(name.removeprefix(NAME_PREFIX), account)
        return self._spec(installation) if installation is not None else None

    def _spec(self, installation: Installation) -> PluginSpec | None:
        try:
            manifest = parse_manifest(installation.manifest)
        except ValueError:
            log.warning("plugin.remote.bad_manifest plugin=%s", installation.plugin_id)
            return None
        kinds = _kinds(manifest)
        if not kinds:
            return None
        plugin_id = installation.plugin_id
        source = f"remote plugin {plugin_id} ({httpx.URL(manifest.endpointUrl).host})"
        description = installation.plugin_name or manifest.name or plugin_id
        common: dict[str, Any] = {
            "name": f"{NAME_PREFIX}{plugin_id}",
            "applies_to": kinds,
            "config_type": None,
            "description": description,
            "source": source,
            "settings_key": f"plugin_{plugin_id}",
        }
        if manifest.isAsync:

            async def dispatch(event: Any, context: Any, config: Any, result: Any) -> None:
                await self._dispatch(installation, manifest, event, context, result)

            return PluginSpec(
                stage=Stage.SIDE_EFFECT, order=ASYNC_ORDER, timeout=ASYNC_TIMEOUT_S, on_error="skip",
                max_attempts=5, invoke=dispatch, **common,
            )

        async def transform(event: Any, context: Any, config: Any, result: Any) -> LogEvent:
            return await self._transform(installation, manifest, event, context)

        return PluginSpec(
            stage=Stage.TRANSFORM, order=SYNC_ORDER, timeout=SYNC_TIMEOUT_S, on_error="skip",
            max_attempts=5, invoke=transform, **common,
        )

    # ------------------------------------------------------------ protocol calls

    async def _post(self, installation: Installation, url: str, body: Any, *, seconds: float) -> httpx.Response:
        store = self._rt.store.remote_plugins
        token = await store.token(installation.plugin_id, installation.rc_account_id)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self._rt.http.post(url, json=body, headers=headers, timeout=seconds)
        except httpx.HTTPError as exc:
            raise RemotePluginError(f"plugin server unreachable ({type(exc).__name__})") from exc
        refreshed = response.headers.get("x-refreshed-jwt-token")
        if refreshed:
            await store.set_token(installation.plugin_id, installation.rc_account_id, refreshed)
        if not response.is_success:
            raise RemotePluginError(f"plugin server answered HTTP {response.status_code}")
        return response

    async def _transform(
        self, installation: Installation, manifest: RemoteManifest, event: LogEvent, context: PluginContext
    ) -> LogEvent:
        body = {
            "data": to_wire(event),
            "config": _raw_config(context.user_settings, f"plugin_{installation.plugin_id}"),
            "hashedExtensionId": context.hashed_extension_id or None,
        }
        response = await self._post(installation, manifest.endpointUrl, body, seconds=SYNC_TIMEOUT_S)
        try:
            data = msgspec.json.decode(response.content)
            return from_wire(event, data)
        except (msgspec.DecodeError, ValueError) as exc:
            raise RemotePluginError(f"the plugin's answer is not a logging payload ({exc})") from None

    async def _dispatch(
        self,
        installation: Installation,
        manifest: RemoteManifest,
        event: LogEvent,
        context: PluginContext,
        result: LogResult,
    ) -> None:
        if not isinstance(event, CallLogEvent):
            return
        task_id = self.async_task_id(context.task_id, installation.plugin_id)
        store = self._rt.store.remote_plugins
        run = await store.open_run(
            task_id,
            AsyncRun(
                plugin_id=installation.plugin_id,
                rc_account_id=installation.rc_account_id,
                platform=context.platform,
                user_id=context.user_id,
                session_id=event.session_id,
                log_id=result.log_id,
                hashed_extension_id=context.hashed_extension_id or str(event.call_log.get("hashedExtensionId") or ""),
                state="pending",
                message="",
                expires_at=int((time.time() + ASYNC_RUN_TTL_S) * 1000),
            ),
        )
        if run.state != "pending":
            return  # already dispatched by an earlier attempt, or completed
        if manifest.tokenSyncUrl:
            await self._post(installation, manifest.tokenSyncUrl, {}, seconds=SYNC_TIMEOUT_S)
        body = {
            "data": to_wire(event),
            "config": _raw_config(context.user_settings, f"plugin_{installation.plugin_id}"),
            "hashedExtensionId": context.hashed_extension_id or None,
            "asyncTaskId": task_id,
            "callbackUrl": self.callback_url(task_id),
        }
        await self._post(installation, manifest.endpointUrl, body, seconds=ASYNC_TIMEOUT_S)
        await store.mark_run(task_id, state="dispatched", only_from=("pending",))
