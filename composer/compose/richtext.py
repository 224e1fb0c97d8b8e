"""Markdown to HTML that cannot carry markup from its author.

Raw HTML is disabled (``<script>`` arrives as text), link targets are validated by
markdown-it (no ``javascript:``), images are off (no tracking pixels in a CRM), and the
output is kept on one line like every other part of a composed HTML body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

__all__ = ["markdown_to_html"]


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    options = {"html": False, "linkify": False, "typographer": False, "breaks": True, "xhtmlOut": False}
    return MarkdownIt("commonmark", options).disable("image")


# Every newline markdown-it emits outside code follows a tag; code text is escaped, so it has no ``>``.
_LAYOUT_BREAK = re.compile(r">\n")


def markdown_to_html(text: str) -> str:
    """Safe HTML for ``text``: single line breaks become ``<br>``, as in plain composition."""
    return _LAYOUT_BREAK.sub(">", _renderer().render(text)).rstrip("\n")
