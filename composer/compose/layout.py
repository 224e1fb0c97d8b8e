"""Bodies in the composer's own layout, recognised with one regex match.

Most updates land on a body the composer wrote and nobody edited since: its items in §2.2
order, each exactly as it is added (§3), with values that cannot read back as markers. For
such a body the recognisers' answer is known in advance (every item is where the layout put
it), so one ``fullmatch`` against a pattern built from the section templates checks the shape
and yields every span at C speed. The general recognisers, which run a regex per marker and
Python per item, are then only needed for bodies with foreign text, edits or a legacy shape.

Invariant: when a layout matches, it gives exactly the spans the general recogniser gives.
The value patterns are therefore stricter than the recognisers (anything doubtful, such as a
value holding marker-like text, fails the match and falls back to the general recogniser);
``tests/compose/test_layout.py`` checks that the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Final

from .document import Parsed, Span
from .items import ADDED, ITEMS, Item, format_snippets
from .snippets import Snippet

__all__ = ["ItemPattern", "Layout", "item_group", "value_group"]

ItemPattern = Callable[[Item, Snippet, str, str], str]
"""The pattern of one item as it is added: ``(item, its compiled section, before, after)``."""


def item_group(item: Item) -> str:
    """The name of the regex group that spans ``item``: its key, so a match answers ``span(key)``."""
    return item.key


def value_group(item: Item) -> str:
    """The name of the group that spans a field's value, for a field whose head varies.

    Other fields need no group: their value lies between the fixed head and tail of their section.
    """
    return f"{item.key}_value"


class Layout:
    """One format's layout: every item optional, at most once, in §2.2 order."""

    __slots__ = ("_fields", "_pattern", "_values")

    def __init__(self, log_format: str, item_pattern: ItemPattern) -> None:
        snippets = format_snippets(log_format)
        added = ADDED[log_format]
        # An item either matches whole or is absent: a value pattern never gives characters
        # back, so a body that is not in the layout fails in one pass.
        pattern = "".join(f"(?>{item_pattern(item, snippets[item.key], *added[item.key])}|)" for item in ITEMS)
        self._pattern: Final = re.compile(pattern)
        index = self._pattern.groupindex
        self._values: Final = {item.key: value_group(item) for item in ITEMS if value_group(item) in index}
        self._fields: Final = {
            item.key: (len(snippets[item.key].head), len(snippets[item.key].tail)) for item in ITEMS if item.kind == "field"
        }

    def parse(self, body: str) -> Parsed | None:
        """The items of ``body`` if it is in this layout, else ``None``."""
        match = self._pattern.fullmatch(body)
        return _LaidOut(self, match) if match is not None else None

    def span(self, match: re.Match[str], key: str) -> Span | None:
        start, end = match.span(key)
        if start == -1:
            return None
        if key in self._values:
            value_start, value_end = match.span(self._values[key])
        elif key in self._fields:
            head, tail = self._fields[key]
            value_start, value_end = start + head, end - tail
        else:
            value_start = value_end = -1
        return Span(key, start, end, value_start, value_end)


class _LaidOut(Parsed):
    """The items of a body in the layout, read from the match only when asked for.

    The merge asks each section's ``text_of`` (for most updates, all it needs); that is a
    C-level lookup in the match, so no span is built for an unchanged item.
    """

    __slots__ = ("_layout", "_match")

    def __init__(self, layout: Layout, match: re.Match[str]) -> None:
        self._layout = layout
        self._match = match
        self.text_of = match.group
        self.list_end = -1  # composed HTML holds no list

    @property
    def spans(self) -> list[Span]:
        found = (self._layout.span(self._match, item.key) for item in ITEMS)
        return sorted((span for span in found if span is not None), key=attrgetter("start"))

    @property
    def first(self) -> Mapping[str, Span]:
        return {span.key: span for span in self.spans}

    def find(self, key: str) -> Span | None:
        return self._layout.span(self._match, key)
