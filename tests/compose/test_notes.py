"""§4.9 reading the agent note back."""

from __future__ import annotations

import pytest

from composer.compose import ComposeError, ComposeRequest, compose_call_log, extract_note


@pytest.mark.parametrize("log_format", ["text/plain", "text/markdown", "text/html"])
@pytest.mark.parametrize("note", ["one line", "two\nlines", "<b> & 'quotes'", "trailing \u00e9\u4e2d\U0001f600"])
def test_round_trip(log_format: str, note: str) -> None:
    body = compose_call_log(ComposeRequest(logFormat=log_format, note=note, subject="s", result="r"))
    assert extract_note(body, log_format=log_format) == note


def test_reference_bodies_and_absence() -> None:
    assert extract_note("<b>Agent notes</b><br>a\nb<br><br><b>Call details</b><br>", log_format="text/html") == "a\nb"
    assert extract_note("- Agent notes: legacy \n- Summary: s", log_format="text/plain") == "legacy"
    assert extract_note("## Agent notes\nx\n\n**Result**: r", log_format="text/markdown") == "x"
    assert extract_note("- Summary: s", log_format="text/plain") is None
    with pytest.raises(ComposeError):
        extract_note("", log_format="text/rtf")
