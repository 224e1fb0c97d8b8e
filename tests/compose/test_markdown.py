"""§4.3 recognition in Markdown."""

from __future__ import annotations

from composer.compose.markdown import parse_markdown


def spans(body: str) -> list[tuple[str, str, bool]]:
    return [(span.key, body[span.start : span.end], span.degraded) for span in parse_markdown(body).spans]


def test_fields_sections_and_notes() -> None:
    body = "## Agent notes\nn\n\n## Call details\n**Summary**: s\n### AI Note\na\n\n- bullet\n**Call score**: 5\n"
    assert spans(body) == [
        ("note", "## Agent notes\nn\n\n## Call details", False),
        ("subject", "**Summary**: s", False),
        ("ai_note", "### AI Note\na\n\n- bullet\n", False),
        ("score", "**Call score**: 5", False),
    ]


def test_fields_inside_notes_are_not_looked_for() -> None:
    body = "## Agent notes\n**Summary**: typed\n\n## Call details\n"
    assert spans(body) == [("note", "## Agent notes\n**Summary**: typed\n\n## Call details", False)]


def test_glued_header_and_glued_field() -> None:
    body = "Edited in CRM### AI Note\nx\n**Result**: ok**Duration**: 5\n"
    assert spans(body) == [
        ("ai_note", "### AI Note\nx\n", False),
        ("result", "**Result**: ok", False),
        ("duration", "**Duration**: 5", False),
    ]


def test_headers_must_be_exact() -> None:
    assert spans("### AI Note extra\n#### AI Note\n### AI note\n") == []


def test_section_ends_at_call_details_and_agent_notes_lines() -> None:
    body = "### Transcript\nt\n## Call details\n"
    assert spans(body) == [("transcript", "### Transcript\nt\n", False)]


def test_degraded_notes_run_to_the_next_marker() -> None:
    assert spans("## Agent notes\nold\n\n**Result**: r") == [
        ("note", "## Agent notes\nold\n\n", True),
        ("result", "**Result**: r", False),
    ]
    assert spans("## Agent notes\nold") == [("note", "## Agent notes\nold", True)]
