"""JavaScript-compatible value rules."""

from __future__ import annotations

import pytest

from composer.compose.values import (
    escape_html,
    html_lines,
    is_present,
    is_truthy,
    js_number,
    multi_line,
    setting_enabled,
    single_line,
    to_text,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [(92, "92"), (92.0, "92"), (30.5, "30.5"), (1e-7, "1e-7"), (0.00001, "0.00001"), (1e21, "1e+21"), (-0.0, "0"),
     (float("nan"), "NaN"), (float("inf"), "Infinity"), (0.1 + 0.2, "0.30000000000000004"), (123456789012345680000.0, "123456789012345680000")],
)  # fmt: skip
def test_js_number(number: float, text: str) -> None:
    assert js_number(number) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("a", "a"), (None, ""), (True, "true"), (False, "false"), (5, "5"), (2.50, "2.5"), ([1, None, "x"], "1,,x"), ({"a": 1}, "[object Object]")],
)  # fmt: skip
def test_to_text(value: object, text: str) -> None:
    assert to_text(value) == text


def test_presence_and_truthiness() -> None:
    assert not is_present(None) and not is_present("")
    assert is_present(0) and is_present(" ") and is_present(False)
    assert [is_truthy(v) for v in (False, 0, 0.0, "", None, float("nan"))] == [False] * 6
    truthy: tuple[object, ...] = (True, 1, "false", "0", [], {})
    assert [is_truthy(v) for v in truthy] == [True] * 6


def test_settings() -> None:
    assert setting_enabled(None, "k", True)
    assert setting_enabled({"k": {"value": None}}, "k", True)
    assert not setting_enabled({"k": {"value": 0}}, "k", True)
    assert setting_enabled({"k": {"value": "no"}}, "k", False)
    assert setting_enabled({"k": True}, "k", False) is False  # not the {value} shape: default


def test_line_rules() -> None:
    assert single_line("a\r\nb\rc\nd") == "a b c d"
    assert multi_line("a\n\r\n") == "a"
    assert multi_line("a \n") == "a "
    assert escape_html("&<>\"'") == "&amp;&lt;&gt;&quot;&#039;"
    assert html_lines("a<\r\nb\nc") == "a&lt;<br>b<br>c"
