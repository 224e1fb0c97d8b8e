"""The plugin contract: everything a plugin imports, and nothing else.

A plugin is an ``async def`` function declared with ``@plugin`` that receives a typed event
(``CallLogEvent`` or ``MessageLogEvent``) and a ``PluginContext``. ENRICH and TRANSFORM
plugins return a changed copy of the event (``msgspec.structs.replace``) or ``None``;
SIDE_EFFECT plugins also receive the ``LogResult`` of the CRM write and return nothing.
The full guide is docs/plugins.md; adding to this surface is a reviewed decision (a test
pins ``__all__``).
"""

from composer.pipeline._contract import Stage, plugin
from composer.pipeline.events import CallLogEvent, ContactRef, EventKind, LogEvent, LogResult, MessageLogEvent
from composer.pipeline.runner import PluginContext

__all__ = [
    "CallLogEvent",
    "ContactRef",
    "EventKind",
    "LogEvent",
    "LogResult",
    "MessageLogEvent",
    "PluginContext",
    "Stage",
    "plugin",
]
