"""Example plugin (docs/plugins.md): add a footer line to the note of every new call log.

Drop this file into the plugins directory (APPCONNECT_PLUGINS_DIR, ``./plugins`` by default)
and restart: ``appconnect plugins`` lists it, and each new call log's note ends with the
footer. An account can change the text, or turn the plugin off, through its settings::

    "plugin_note_footer": {"value": {"enabled": true, "config": {"text": {"value": "-- Support team"}}}}
"""

from __future__ import annotations

import msgspec

from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin


class FooterConfig(msgspec.Struct, kw_only=True):
    text: str = "-- logged by App Connect"


@plugin(
    name="note_footer",
    stage=Stage.TRANSFORM,
    order=200,
    applies_to={"call.create"},
    timeout=0.5,
    on_error="skip",
    config=FooterConfig,
)
async def note_footer(event: CallLogEvent, context: PluginContext, config: FooterConfig) -> CallLogEvent | None:
    """Append the configured footer to the note (once)."""
    note = event.note or ""
    if note.rstrip().endswith(config.text):
        return None  # returning None means "unchanged"
    footer = f"{note.rstrip()}\n{config.text}" if note.strip() else config.text
    return msgspec.structs.replace(event, note=footer)
