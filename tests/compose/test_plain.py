"""§4.2 recognition in plain text."""

from __future__ import annotations

from composer.compose.plain import parse_plain


def spans(body: str) -> list[tuple[str, str]]:
    return [(span.key, body[span.start : span.end]) for span in parse_plain(body).spans]


def test_line_start_and_glued_markers() -> None:
    body = "- Summary: s\n- Contact Number: +16579991394- Call journey:\nMade call\n--- JOURNEY END\n"
    assert spans(body) == [
        ("subject", "- Summary: s"),
        ("contact", "- Contact Number: +16579991394"),
        ("journey", "- Call journey:\nMade call\n--- JOURNEY END"),
    ]
    assert parse_plain(body).first["contact"].glued_next


def test_marker_after_a_space_is_value_text() -> None:
    assert spans("- Summary: a - Duration: 5\n") == [("subject", "- Summary: a - Duration: 5")]


def test_note_runs_to_the_next_line_marker_and_ignores_glued_ones() -> None:
    body = "- Note: a\n\n- Action items: x\ny- Duration: 5\n- Result: r\n"
    assert spans(body) == [("note", "- Note: a\n\n- Action items: x\ny- Duration: 5"), ("result", "- Result: r")]


def test_note_alias_and_trailing_breaks() -> None:
    assert spans("- Agent notes: old\r\n\r\n") == [("note", "- Agent notes: old")]


def test_note_marker_only_at_a_line_start() -> None:
    assert spans("x- Note: glued\n") == []


def test_blocks_end_at_their_terminator_line() -> None:
    body = "- AI Note:\n- Summary: inside\n--- END trailing\n- Summary: outside\n"
    assert spans(body) == [("ai_note", "- AI Note:\n- Summary: inside\n--- END trailing"), ("subject", "- Summary: outside")]


def test_legacy_one_line_blocks() -> None:
    body = "- ACE bulleted summary: Old item\n- Transcript:\nt\n--- END\n- AI Note: last"
    assert spans(body) == [
        ("ace_bulleted", "- ACE bulleted summary: Old item"),
        ("transcript", "- Transcript:\nt\n--- END"),
        ("ai_note", "- AI Note: last"),
    ]


def test_journey_needs_its_own_terminator() -> None:
    body = "- Call journey:\nline\n--- END\nmore\n--- JOURNEY END\n"
    assert spans(body) == [("journey", "- Call journey:\nline\n--- END\nmore\n--- JOURNEY END")]


def test_carriage_return_belongs_to_the_line_break() -> None:
    body = "- Summary: s\r\n- Result: r\r\n"
    parsed = parse_plain(body)
    assert [body[s.start : s.end] for s in parsed.spans] == ["- Summary: s", "- Result: r"]
    assert body[parsed.first["subject"].value_start : parsed.first["subject"].value_end] == "s"


def test_first_occurrence_wins() -> None:
    body = "- Result: a\n- Result: b\n"
    parsed = parse_plain(body)
    assert len(parsed.spans) == 2
    assert parsed.first["result"].start == 0


def test_labels_are_case_sensitive() -> None:
    assert spans("- summary: s\n- RESULT: r\n") == []


def test_the_note_span_leaves_blank_lines_before_the_next_item_outside() -> None:
    # A block's own leading blank line, or a user's blank line, is not part of the note, so
    # rewriting the note keeps it (the first update of "- Note: n\n\n- AI Note: ..." used to
    # drop it, against §4.8).
    assert spans("- Note: n\n\n- AI Note:\nx\n--- END\n") == [("note", "- Note: n"), ("ai_note", "- AI Note:\nx\n--- END")]
    assert spans("- Note: a\n\nb\r\n\r\n- Duration: 5\n") == [("note", "- Note: a\n\nb"), ("duration", "- Duration: 5")]


def test_a_note_followed_by_a_block_is_stable_from_the_first_update() -> None:
    from composer.compose import ComposeRequest, UserContext, compose_call_log

    fields = {"logFormat": "text/plain", "note": "n", "aiNote": "x", "callLog": {"sessionId": "1"}}
    user = UserContext(timezoneOffset="+00:00", userSettings={})
    fresh = compose_call_log(ComposeRequest(user=user, **fields))
    assert fresh == "- Note: n\n\n- AI Note:\nx\n--- END\n"
    assert compose_call_log(ComposeRequest(user=user, existingBody=fresh, **fields)) == fresh
