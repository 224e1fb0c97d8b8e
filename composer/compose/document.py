"""A body read into recognised items and foreign text, and the edits an update makes to it.

Invariants: text outside a recognised span is copied byte for byte; spans never overlap;
only the first span of each item is ever edited. Edits are recorded against the body as
parsed and applied in one pass by ``text()``; an edit whose new text might be read back
differently (it contains something that looks like a marker) marks the body for a re-parse
before the next lookup, so each upsert sees the result of the previous one exactly as §4.1
describes, while the common case parses only once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter

__all__ = ["Editor", "Parsed", "Span"]


class Span:
    """One recognised item: ``body[start:end]`` is what a replacement swaps out."""

    __slots__ = ("degraded", "end", "glued_next", "key", "start", "value_end", "value_start")

    def __init__(
        self,
        key: str,
        start: int,
        end: int,
        value_start: int = -1,
        value_end: int = -1,
        degraded: bool = False,
        glued_next: bool = False,
    ) -> None:
        self.key = key
        self.start = start
        self.end = end
        # The field's value (user-name write-once check, note read-back); -1 for blocks.
        self.value_start = value_start
        self.value_end = value_end
        # Agent notes whose closing marker a CRM edit removed (§4.3, §4.4).
        self.degraded = degraded
        # A legacy item glued directly after this one on the same line (§4.2).
        self.glued_next = glued_next

    def __repr__(self) -> str:
        return f"Span({self.key!r}, {self.start}, {self.end})"


class _Texts(dict[str, str | None]):
    def __missing__(self, key: str) -> None:
        return None


class Parsed:
    """The recognised items of one body, and where new HTML fields go."""

    __slots__ = ("_first", "_spans", "list_end", "text_of")

    def __init__(self, body: str, spans: list[Span], list_end: int = -1) -> None:
        self._spans = spans
        # The first span of each item wins: later duplicates are never edited.
        first = {span.key: span for span in reversed(spans)}
        self._first = first
        self.text_of: Callable[[str], str | None] = _Texts(
            {key: body[span.start : span.end] for key, span in first.items() if not span.degraded}
        ).__getitem__
        """The text of the first item ``key``, ``None`` when there is none: all the merge needs
        to see an item is unchanged. Degraded notes read as absent: replacing one restores its
        closing marker, so it is never unchanged."""
        # Offset of the ``</ul>`` closing the HTML field list, or -1 when there is none.
        self.list_end = list_end

    @property
    def spans(self) -> list[Span]:
        """Every recognised item, in body order."""
        return self._spans

    @property
    def first(self) -> Mapping[str, Span]:
        return self._first

    def find(self, key: str) -> Span | None:
        """The first recognised item ``key``."""
        return self._first.get(key)


Parser = Callable[[str], Parsed]


class Editor:
    """Upsert primitives over one body; ``text()`` is the resulting body."""

    __slots__ = ("_appends", "_list_inserts", "_parse", "_prepend", "_replacements", "body", "is_dirty", "parsed")

    def __init__(self, body: str, parse: Parser) -> None:
        self.body = body
        self._parse = parse
        self.parsed = parse(body)
        self._replacements: list[tuple[int, int, str]] = []
        self._list_inserts: list[str] = []
        self._appends: list[str] = []
        self._prepend = ""
        # An edit might read back differently: ``parsed`` is stale until the next ``find``.
        self.is_dirty = False

    def find(self, key: str) -> Span | None:
        """The first recognised item ``key`` in the current body."""
        if self.is_dirty:
            self._reparse()
        return self.parsed.find(key)

    def value(self, span: Span) -> str:
        return self.body[span.value_start : span.value_end]

    def replace(self, span: Span, text: str, *, is_risky: bool = False) -> None:
        if self.body.startswith(text, span.start) and span.start + len(text) == span.end:
            return  # unchanged: updates often re-send the same values
        if span.glued_next:
            if text[-1:].isspace():
                # A space before the glued item would make it part of this value on the next
                # read; end the line instead so both items stay recognisable.
                text += "\n"
            self.is_dirty = True
        self._replacements.append((span.start, span.end, text))
        if is_risky:
            self.is_dirty = True

    def insert(self, position: int, text: str, *, is_risky: bool = False) -> None:
        """Insert before ``body[position]``; ahead of any replacement starting there."""
        self._replacements.append((position, position, text))
        if is_risky:
            self.is_dirty = True

    def append(self, text: str, *, is_risky: bool = False) -> None:
        self._appends.append(text)
        if is_risky:
            self.is_dirty = True

    def insert_field(self, text: str) -> None:
        """Into the HTML field list when the body has one, else at the end (§4.5)."""
        if self.parsed.list_end >= 0:
            self._list_inserts.append(text)
        else:
            self._appends.append(text)

    def prepend(self, text: str, *, is_risky: bool = False) -> None:
        self._prepend = text + self._prepend
        if is_risky:
            self.is_dirty = True

    def needs_line_break(self) -> bool:
        """Plain and Markdown appends first end an unterminated last line (difference 13)."""
        if self._appends:
            return not self._appends[-1].endswith("\n")
        end = len(self.body)
        if end == 0:
            return bool(self._prepend) and not self._prepend.endswith("\n")
        for _start, stop, text in self._replacements:
            if stop == end:
                return not text.endswith("\n")
        return self.body[-1] != "\n"

    def text(self) -> str:
        body = self.body
        replacements = self._replacements
        if self._list_inserts:
            replacements = [*replacements, (self.parsed.list_end, self.parsed.list_end, "".join(self._list_inserts))]
        if not replacements:
            if not self._appends:
                return self._prepend + body if self._prepend else body
            return self._prepend + body + "".join(self._appends)
        out = [self._prepend]
        position = 0
        for start, stop, text in sorted(replacements, key=itemgetter(0)):
            out.append(body[position:start])
            out.append(text)
            position = stop
        out.append(body[position:])
        out.extend(self._appends)
        return "".join(out)

    def _reparse(self) -> None:
        self.body = self.text()
        self.parsed = self._parse(self.body)
        self._replacements = []
        self._list_inserts = []
        self._appends = []
        self._prepend = ""
        self.is_dirty = False
