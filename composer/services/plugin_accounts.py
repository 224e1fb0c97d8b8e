"""Which RingCentral account a plugin call belongs to, and that account's plugin settings.

Plugins are configured per account: an admin's ``plugin_<name>`` entry (admin settings of
``H(rcAccountId)``) overrides the user's own unless it is customizable (spec §8, the same
``merge_settings`` as ``GET /user/settings``). The pipeline asks for the merged settings only
when a plugin is about to run, and both lookups are cached for a few seconds: they sit on
the logging path, and an admin's change showing up ten seconds later is acceptable.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from composer.pipeline.runner import PluginContext
from composer.services.user_settings import merge_settings

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["AccountDirectory"]

_ACCOUNT_TTL_S = 60.0
_SETTINGS_TTL_S = 10.0
_MAX_ENTRIES = 10_000


class AccountDirectory:
    """Cached ``(user, platform) -> rcAccountId`` and ``rcAccountId -> admin plugin settings``."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._accounts: dict[tuple[str, str], tuple[float, str]] = {}
        self._admin: dict[str, tuple[float, dict[str, Any]]] = {}

    def forget(self, rc_account_id: str | None = None) -> None:
        """Drop cached admin settings (after an install, an uninstall or an admin change)."""
        if rc_account_id is None:
            self._admin.clear()
        else:
            self._admin.pop(rc_account_id, None)

    async def account_of(self, context: PluginContext) -> str:
        if context.rc_account_id:
            return context.rc_account_id
        key = (context.user_id, context.platform)
        now = time.monotonic()
        hit = self._accounts.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        user = await self._rt.store.users.get(context.user_id, context.platform)
        account = (user.rcAccountId or "") if user is not None else ""
        if len(self._accounts) >= _MAX_ENTRIES:
            self._accounts.clear()
        self._accounts[key] = (now + _ACCOUNT_TTL_S, account)
        return account

    async def _admin_plugin_settings(self, account: str) -> dict[str, Any]:
        now = time.monotonic()
        hit = self._admin.get(account)
        if hit is not None and hit[0] > now:
            return hit[1]
        config = await self._rt.store.admin.get(self._rt.hash(account))
        settings = config.user_settings if config is not None and isinstance(config.user_settings, dict) else {}
        plugin_settings = {k: v for k, v in settings.items() if k.startswith("plugin_")}
        if len(self._admin) >= _MAX_ENTRIES:
            self._admin.clear()
        self._admin[account] = (now + _SETTINGS_TTL_S, plugin_settings)
        return plugin_settings

    async def plugin_settings(self, context: PluginContext) -> dict[str, Any]:
        """The context's settings with the account admin's ``plugin_*`` entries merged in."""
        account = await self.account_of(context)
        if not account:
            return context.user_settings
        admin = await self._admin_plugin_settings(account)
        if not admin:
            return context.user_settings
        own: Mapping[str, Any] = context.user_settings or {}
        user_plugins = {k: v for k, v in own.items() if k.startswith("plugin_")}
        merged = merge_settings(admin, user_plugins)
        return {**{k: v for k, v in own.items() if not k.startswith("plugin_")}, **merged}
