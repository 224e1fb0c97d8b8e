"""Compiled snippets render exactly what Jinja2 renders."""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.compose.items import ITEMS, format_snippets
from composer.compose.snippets import compile_snippet, environment
from composer.compose.templates import CALL_LOG, MESSAGE_LOG, SHARED_SMS

LABEL_COLUMN = {"text/plain": "plain", "text/markdown": "markdown", "text/html": "html"}


def _jinja_templates() -> dict[str, jinja2.Template]:
    env = environment()
    sources = [source for family in (CALL_LOG, MESSAGE_LOG, SHARED_SMS) for group in family.values() for source in group.values()]
    return {source: env.from_string(source) for source in sources}


TEMPLATES = _jinja_templates()


@settings(max_examples=50, deadline=None)
@given(value=st.text())
def test_call_log_snippets_equal_jinja_render(value: str) -> None:
    for log_format, templates in CALL_LOG.items():
        snippets = format_snippets(log_format)
        for item in ITEMS:
            label = getattr(item, LABEL_COLUMN[log_format])
            expected = TEMPLATES[templates[item.kind]].render(label=label, value=value)
            assert snippets[item.key].fill(value) == expected


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.text(), min_size=12, max_size=12))
def test_message_and_shared_sms_snippets_equal_jinja_render(values: list[str]) -> None:
    for family in (MESSAGE_LOG, SHARED_SMS):
        for templates in family.values():
            for source in templates.values():
                snippet = compile_snippet(source)
                context = dict(zip(snippet.names, values, strict=False))
                assert snippet.render(**context) == TEMPLATES[source].render(**context)


def test_templates_must_be_logic_free() -> None:
    with pytest.raises(jinja2.TemplateError, match="logic-free"):
        compile_snippet("{% if value %}x{% endif %}")
    with pytest.raises(jinja2.TemplateError, match="logic-free"):
        compile_snippet("{{ value | upper }}")


def test_compilation_is_cached() -> None:
    assert compile_snippet("- {{ label }}: {{ value }}", label="A") is compile_snippet("- {{ label }}: {{ value }}", label="A")
    assert format_snippets("text/plain") is format_snippets("text/plain")
