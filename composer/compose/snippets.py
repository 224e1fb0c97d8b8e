"""Jinja2 templates, compiled once into splices.

Section templates are plain Jinja2 text (see ``templates.py``), but the hot path never calls
``Template.render``: creating a render context costs several microseconds per section, more
than the composer's whole budget. Instead each template is parsed by one shared
``Environment``, checked to be logic-free (only literal text and ``{{ name }}``), rendered once
with the values known at import time (labels) and a sentinel for each value known only per call,
and cut at the sentinels. Filling a splice is then string concatenation, and the output is
exactly what ``Template.render`` would have produced (a test checks this).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import jinja2
from jinja2 import nodes

__all__ = ["Snippet", "compile_snippet", "environment"]

_SENTINEL = re.compile("\x00([A-Za-z_][A-Za-z0-9_]*)\x00")
_ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Environment; escaping is done per value (the reference escapes ``'`` as ``&#039;``)."""
    return jinja2.Environment(
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )


class Snippet:
    """A compiled template: literal pieces between the per-call values."""

    __slots__ = ("head", "names", "pieces", "tail")

    def __init__(self, pieces: tuple[str, ...], names: tuple[str, ...]) -> None:
        self.pieces = pieces
        self.names = names
        self.head = pieces[0]
        self.tail = pieces[-1]

    def fill(self, value: str) -> str:
        """The fast path for the common one-value template."""
        return self.head + value + self.tail

    def render(self, **values: str) -> str:
        """Fill every named value (all must be given)."""
        pieces = self.pieces
        out = [pieces[0]]
        for index, name in enumerate(self.names, start=1):
            out.append(values[name])
            out.append(pieces[index])
        return "".join(out)


@cache
def compile_snippet(source: str, **bound: str) -> Snippet:
    """Compile ``source`` once, with ``bound`` values fixed now and every other name left open.

    Results are cached, so callers may ask for a snippet on every call.

    Raises ``jinja2.TemplateError`` if the template uses anything but text and ``{{ name }}``;
    logic belongs in Python, where each value is prepared (escaped, single-lined) on purpose.
    """
    env = environment()
    tree = env.parse(source)
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise jinja2.TemplateError(f"section templates must be logic-free, found {type(node).__name__}")
    names = sorted({node.name for node in tree.find_all(nodes.Name)})
    context = {name: bound[name] if name in bound else f"\x00{name}\x00" for name in names}
    rendered = env.from_string(source).render(**context)
    split = _SENTINEL.split(rendered)
    return Snippet(tuple(split[0::2]), tuple(split[1::2]))
