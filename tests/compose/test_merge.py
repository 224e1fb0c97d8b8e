"""§4.1/4.5 upsert rules, including that each upsert sees the result of the previous one."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from composer.compose import COMPOSED_FORMATS, ComposeRequest, UserContext, compose_call_log, merge
from composer.compose.document import Editor
from composer.compose.items import ITEMS, format_snippets
from composer.compose.plain import parse_plain


def compose(body: str = "", log_format: str = "text/plain", **fields: Any) -> str:
    return compose_call_log(ComposeRequest(logFormat=log_format, existingBody=body, **fields))


def test_missing_items_go_to_the_end_after_user_text() -> None:
    assert compose("- Summary: s\nuser line\n", result="r") == "- Summary: s\nuser line\n- Result: r\n"


def test_only_the_first_duplicate_is_updated() -> None:
    assert compose("- Result: a\n- Result: b\n", result="c") == "- Result: c\n- Result: b\n"


def test_absent_values_remove_nothing() -> None:
    body = "- Note: keep\n- Summary: keep\n"
    assert compose(body, note="", subject=None) == body


def test_switched_off_items_stay_in_the_body() -> None:
    body = "- Summary: old\n"
    off = UserContext(userSettings={"addCallLogSubject": {"value": False}})
    assert compose(body, subject="new", user=off) == body


def test_markdown_note_prepended_before_existing_call_details() -> None:
    assert compose("## Call details\n**Result**: r\n", "text/markdown", note="n") == (
        "## Agent notes\nn\n\n## Call details\n**Result**: r\n"
    )


def test_html_blocks_append_at_the_very_end_with_their_breaks() -> None:
    assert compose("<p>x</p>", "text/html", aiNote="a", ringSenseSummary="s") == (
        "<p>x</p><div><b>AI Note</b><br>a</div><br><div><b>ACE summary</b><br>s</div>"
    )


def test_each_upsert_sees_the_previous_one() -> None:
    # The note writes a line that reads back as the Duration item; the Duration upsert then
    # finds that line first (§4.8's accepted exception) instead of appending a second one.
    assert compose(note="call me\n- Duration: 5 min", duration=60) == "- Note: call me\n- Duration: 1 minute\n"


def test_plain_note_never_swallows_the_lines_it_is_added_before() -> None:
    # Prepended, the note would run over "Typed first" and the blank line on the next read.
    typed = compose("Typed first\n- Summary: s\n", note="n")
    assert typed == "Typed first\n- Note: n\n- Summary: s\n"
    assert compose(typed, note="n") == typed
    blocks_only = compose("\n- AI Note:\na\n--- END\n", note="n")
    assert blocks_only == "\n- Note: n\n- AI Note:\na\n--- END\n"
    assert compose(blocks_only, note="n") == blocks_only
    no_line_items = compose("Agent x- Result: r\n", note="n", result="new")
    assert no_line_items == "Agent x- Result: new\n- Note: n\n"
    assert compose(no_line_items, note="n", result="new") == no_line_items


def test_plain_note_is_prepended_to_bodies_the_composer_wrote() -> None:
    assert compose("- Summary: s\n", note="n") == "- Note: n\n- Summary: s\n"


def test_glued_replacement_that_breaks_the_glue_is_reread() -> None:
    body = "- Summary: old- Result: r\n"
    once = compose(body, subject="new ", result="x")
    assert once == "- Summary: new \n- Result: x\n"
    assert compose(once, subject="new ", result="x") == once


def test_editor_applies_edits_in_body_order() -> None:
    editor = Editor("- Summary: s\n- Result: r\n", parse_plain)
    result = editor.find("result")
    subject = editor.find("subject")
    assert result is not None and subject is not None
    editor.replace(result, "- Result: R")
    editor.replace(subject, "- Summary: S")
    editor.prepend("- Note: n\n")
    editor.append("- Duration: 1 second\n")
    assert editor.text() == "- Note: n\n- Summary: S\n- Result: R\n- Duration: 1 second\n"


def test_editor_line_break_rule() -> None:
    editor = Editor("x", parse_plain)
    assert editor.needs_line_break()
    editor.append("\n- Summary: s\n")
    assert not editor.needs_line_break()
    assert not Editor("", parse_plain).needs_line_break()


@settings(max_examples=60, deadline=None)
@given(log_format=st.sampled_from(COMPOSED_FORMATS), keys=st.sets(st.sampled_from([item.key for item in ITEMS])))
def test_new_bodies_are_the_upserts_applied_to_an_empty_body(log_format: str, keys: set[str]) -> None:
    snippets = format_snippets(log_format)
    sections = [(item.key, snippets[item.key].fill("value"), False) for item in ITEMS if item.key in keys]
    assert merge._new_body(log_format, sections) == merge._upsert_all("", log_format, sections)
