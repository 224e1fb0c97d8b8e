"""Per-account plugin state: enabled or not, and the typed config, from ``plugin_<name>``.

The logging service hands the *merged* settings (admin over user, spec §8) to the pipeline
in ``PluginContext.user_settings``; this module only reads them. The entry shape is the
one App Connect's settings use::

    "plugin_<name>": {"value": {"enabled": true, "config": {"<field>": {"value": ...}}}}

A config field may also be given bare (``"<field>": 42``). ``None`` and ``""`` values fall
back to the Struct's default. A plugin whose config type has required fields and that has no
config at all is *not configured* for that account and is silently inactive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import msgspec

from composer.pipeline._contract import PluginSpec

__all__ = ["INACTIVE", "ConfigProblem", "config_fields", "plugin_state"]


class _Inactive:
    __slots__ = ()

    def __repr__(self) -> str:
        return "INACTIVE"


INACTIVE: Final = _Inactive()
"""The plugin is disabled, or not configured, for this account."""


class ConfigProblem(msgspec.Struct, frozen=True):
    """The account's config cannot be decoded; the plugin's ``on_error`` decides what happens."""

    message: str


def config_fields(raw: Any) -> dict[str, Any]:
    """``{"field": {"value": v, "customizable": ...}}`` or ``{"field": v}`` -> ``{"field": v}``."""
    if not isinstance(raw, Mapping):
        return {}
    fields: dict[str, Any] = {}
    for key, entry in raw.items():
        value = entry.get("value") if isinstance(entry, Mapping) and "value" in entry else entry
        if value is not None and value != "":
            fields[str(key)] = value
    return fields


def plugin_state(spec: PluginSpec, settings: Mapping[str, Any] | None) -> Any:
    """``INACTIVE``, a ``ConfigProblem``, or the config to pass (``None`` without a config type)."""
    entry = settings.get(spec.key) if settings else None
    if entry is None and spec.config_type is None:
        return None  # the common case: no settings, no config
    raw_config: Any = None
    if entry is not None:
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if value is False:
            return INACTIVE
        if isinstance(value, Mapping):
            if value.get("enabled") is False:
                return INACTIVE
            raw_config = value.get("config")
    if spec.config_type is None:
        return None
    fields = config_fields(raw_config)
    try:
        return msgspec.convert(fields, spec.config_type, strict=False)
    except msgspec.ValidationError as exc:
        if not fields and str(exc).startswith("Object missing required field"):
            return INACTIVE
        return ConfigProblem(f"invalid config in {spec.key}: {exc}")
