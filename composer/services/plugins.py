"""Plugin operations: the pipeline's lifespan and the ``/plugin/*`` routes (spec §15.3).

``open_plugins`` discovers the plugins, builds the ``Pipeline`` with the remote adapter and
starts the durable side-effect worker; leaving it stops the worker (tasks still pending run
after the next start). The route operations install and remove remote plugins (admin only),
proxy their license status, and complete async remote runs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
import msgspec

from composer.pipeline.discovery import discover_plugins
from composer.pipeline.runner import Pipeline
from composer.pipeline.tasks import TaskWorker, WorkerOptions
from composer.services.context import Caller
from composer.services.errors import ErrorResponse
from composer.services.plugin_accounts import AccountDirectory
from composer.services.plugin_remote import RemotePlugins, parse_manifest
from composer.services.ringcentral import validate_admin
from composer.services.sessions import current_user
from composer.store.remote_plugins import Installation

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "WORKER_OPTIONS_KEY",
    "RegisterRequest",
    "license_status",
    "open_plugins",
    "register_plugin",
    "remote_plugins",
    "unregister_plugin",
]

log = logging.getLogger(__name__)

WORKER_OPTIONS_KEY = "plugins.worker_options"
"""``rt.extensions`` key a registry hook may set to tune the worker (tests shorten delays)."""
_REMOTE_KEY = "plugins.remote"
_DONE_TASK_RETENTION_S = 7 * 24 * 3600


# =========================================================================== lifespan


@asynccontextmanager
async def open_plugins(rt: Runtime) -> AsyncIterator[Pipeline]:
    """Discover plugins and run the side-effect worker; raises ConfigurationError (strict mode)."""
    found = discover_plugins(rt.settings)
    accounts = AccountDirectory(rt)
    remote = RemotePlugins(rt, accounts)
    await remote.refresh()
    rt.extensions[_REMOTE_KEY] = remote
    options = rt.extensions.get(WORKER_OPTIONS_KEY)
    if not isinstance(options, WorkerOptions):
        # SQLite serves one instance: no need to poll a table only this process writes.
        options = WorkerOptions(idle_poll=rt.store.db.dialect == "postgres")
    worker: TaskWorker | None = None

    def wake() -> None:
        if worker is not None:
            worker.wake()

    pipeline = Pipeline(
        found.plugins,
        providers=[remote],
        tasks=rt.store.plugin_tasks,
        wake=wake,
        http=rt.http,
        resolve_settings=accounts.plugin_settings,
        trace=rt.settings.trace_plugins,
        problems=found.problems,
    )

    async def prune() -> None:
        await rt.store.plugin_tasks.prune(older_than_seconds=_DONE_TASK_RETENTION_S)
        await rt.store.remote_plugins.purge_expired_runs()

    worker = TaskWorker(
        rt.store.plugin_tasks,
        pipeline.run_task,
        options=options,
        maintenance=(remote.refresh, prune),
    )
    await prune()
    await worker.start()
    try:
        yield pipeline
    finally:
        await worker.stop()


def remote_plugins(rt: Runtime) -> RemotePlugins:
    remote = rt.extensions.get(_REMOTE_KEY)
    if not isinstance(remote, RemotePlugins):  # a runtime opened without open_plugins
        remote = RemotePlugins(rt, AccountDirectory(rt))
        rt.extensions[_REMOTE_KEY] = remote
    return remote


# =========================================================================== routes


class RegisterRequest(msgspec.Struct, kw_only=True):
    """Body of ``POST /plugin/register`` (wire names)."""

    pluginId: str | None = None
    rcAccountId: str | None = None
    pluginName: str | None = None
    pluginAccess: str | None = None
    ownerRcAccountId: str | None = None
    manifest: dict[str, Any] | None = None  # our extension: the manifest inline
    manifestUrl: str | None = None  # our extension: where to fetch it
    rcAccessToken: str | None = None  # R: the header wins, the body is the fallback (spec §4)


def _refused(why: str) -> ErrorResponse:
    return ErrorResponse(400, {"successful": False, "returnMessage": why})


def _account(given: str | None, identity_account: str, rt: Runtime) -> str:
    """The raw account id the admin token belongs to; the body may give it raw or hashed."""
    if not given:
        raise _refused("rcAccountId is required")
    if given not in (identity_account, rt.hash(identity_account)):
        raise _refused("rcAccountId does not match the RingCentral token")
    return identity_account


async def _get_json(rt: Runtime, url: str, *, what: str, headers: dict[str, str] | None = None) -> Any:
    try:
        response = await rt.http.get(url, headers=headers or {}, timeout=15.0)
    except httpx.HTTPError:
        raise _refused(f"{what} could not be reached") from None
    if not response.is_success:
        raise _refused(f"{what} answered HTTP {response.status_code}")
    try:
        return msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        raise _refused(f"{what} did not answer JSON") from None


async def _manifest(rt: Runtime, body: RegisterRequest, plugin_id: str) -> dict[str, Any]:
    if body.manifest is not None:
        return body.manifest
    if body.manifestUrl:
        if not body.manifestUrl.startswith(("https://", "http://")):
            raise _refused("manifestUrl must be an http(s) URL")
        raw = await _get_json(rt, body.manifestUrl, what="The manifest URL")
    else:
        url = f"{rt.settings.plugin_catalog_url.rstrip('/')}/{quote(plugin_id, safe='')}/manifest"
        params = {k: v for k, v in (("access", body.pluginAccess), ("ownerRcAccountId", body.ownerRcAccountId)) if v}
        if params:
            url = str(httpx.URL(url, params=params))
        raw = await _get_json(rt, url, what="The plugin catalog")
    if not isinstance(raw, dict):
        raise _refused("The plugin manifest is not a JSON object")
    return raw


async def register_plugin(rt: Runtime, caller: Caller, body: RegisterRequest) -> dict[str, Any]:
    """Install a remote plugin for the admin's account. Raises AdminRequired, ErrorResponse(400)."""
    rc_token = caller.rc_access_token or (body.rcAccessToken or "").removeprefix("Bearer ").strip()
    identity = await validate_admin(rt, rc_token)
    if not body.pluginId:
        raise _refused("pluginId is required")
    account = _account(body.rcAccountId, identity.account_id, rt)
    raw_manifest = await _manifest(rt, body, body.pluginId)
    try:
        manifest = parse_manifest(raw_manifest)
    except ValueError as exc:
        raise _refused(str(exc)) from None
    if not manifest.userRegisterEndpointUrl:
        raise _refused("invalid plugin manifest: userRegisterEndpointUrl is required")
    try:
        response = await rt.http.post(
            manifest.userRegisterEndpointUrl,
            json={"rcAccessToken": rc_token, "rcAccountId": account},
            timeout=15.0,
        )
    except httpx.HTTPError:
        raise _refused("The plugin server could not be reached") from None
    if not response.is_success:
        raise _refused(f"The plugin server refused the registration (HTTP {response.status_code})")
    try:
        answer = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        answer = None
    token = answer.get("jwtToken") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise _refused("The plugin server returned no jwtToken")
    installation = Installation(
        plugin_id=body.pluginId,
        rc_account_id=account,
        plugin_name=body.pluginName or manifest.name,
        plugin_access=body.pluginAccess or "",
        owner_rc_account_id=body.ownerRcAccountId or "",
        manifest=raw_manifest,
    )
    await rt.store.remote_plugins.install(installation, jwt_token=token)
    await remote_plugins(rt).changed(account)
    log.info("plugin.remote.registered plugin=%s", body.pluginId)
    return {"successful": True}


async def unregister_plugin(rt: Runtime, caller: Caller, *, plugin_id: str | None, rc_account_id: str | None) -> dict[str, Any]:
    """Remove the installation, its credential and its per-user settings. Raises AdminRequired, ErrorResponse."""
    identity = await validate_admin(rt, caller.rc_access_token)
    if not plugin_id:
        raise _refused("pluginId is required")
    account = _account(rc_account_id, identity.account_id, rt)
    await rt.store.remote_plugins.uninstall(plugin_id, account)
    key = f"plugin_{plugin_id}"
    for user_id, platform in await rt.store.remote_plugins.users_of_account(account):
        user = await rt.store.users.get(user_id, platform)
        if user is not None and key in (user.userSettings or {}):
            remaining = {k: v for k, v in user.userSettings.items() if k != key}
            await rt.store.users.update_settings(user_id, platform, remaining)
    admin = await rt.store.admin.get(rt.hash(account))
    if admin is not None and key in admin.user_settings:
        await rt.store.admin.upsert(admin.id, user_settings={k: v for k, v in admin.user_settings.items() if k != key})
    await remote_plugins(rt).changed(account)
    log.info("plugin.remote.unregistered plugin=%s", plugin_id)
    return {"successful": True}


_NO_LICENSE_NEEDED = {"isLicenseValid": True, "licenseStatus": "No license required", "licenseStatusDescription": ""}
_LICENSE_UNKNOWN = {
    "isLicenseValid": False,
    "licenseStatus": "Unknown (the plugin server could not be reached)",
    "licenseStatusDescription": "",
}


async def license_status(rt: Runtime, caller: Caller, *, rc_account_id: str | None, plugin_id: str | None) -> Any:
    """The plugin's own license answer; None when nothing is installed. Raises NotAuthenticated."""
    user = await current_user(rt, caller)
    if not plugin_id or not rc_account_id:
        return None
    account = rc_account_id
    own = (user.rcAccountId or "") if user is not None else ""
    if own:
        if rc_account_id not in (own, rt.hash(own)):
            return None  # another account's installation is not this user's business
        account = own
    store = rt.store.remote_plugins
    installation = await store.get(plugin_id, account)
    if installation is None:
        return None
    try:
        manifest = parse_manifest(installation.manifest)
    except ValueError:
        return _LICENSE_UNKNOWN
    if not manifest.licenseStatusUrl:
        return _NO_LICENSE_NEEDED
    token = await store.token(plugin_id, account)
    try:
        response = await rt.http.get(
            manifest.licenseStatusUrl, headers={"Authorization": f"Bearer {token}"} if token else {}, timeout=15.0
        )
        return msgspec.json.decode(response.content) if response.is_success else _LICENSE_UNKNOWN
    except (httpx.HTTPError, msgspec.DecodeError):
        return _LICENSE_UNKNOWN
