"""§4.4 recognition in HTML."""

from __future__ import annotations

from composer.compose.html import parse_html


def spans(body: str) -> list[tuple[str, str]]:
    return [(span.key, body[span.start : span.end]) for span in parse_html(body).spans]


def test_wrapped_and_legacy_fields() -> None:
    body = "<li><b>Summary</b>: s</li><b>Result</b>: r\n<p>x</p>"
    assert spans(body) == [("subject", "<li><b>Summary</b>: s</li>"), ("result", "<b>Result</b>: r")]


def test_case_attributes_and_line_breaks_are_tolerated() -> None:
    body = '<LI class="x">\n<B>duration</B> :\t30\nseconds </LI><DIV><b>ai note</b>\n<BR/>\nx\n</Div >'
    assert spans(body) == [
        ("duration", '<LI class="x">\n<B>duration</B> :\t30\nseconds </LI>'),
        ("ai_note", "<DIV><b>ai note</b>\n<BR/>\nx\n</Div >"),
    ]


def test_link_fields_take_the_whole_anchor() -> None:
    body = '<li><b>Call recording link</b>: <a target="_blank"\nhref="https://x">open</a></li>'
    parsed = parse_html(body)
    span = parsed.first["recording"]
    assert (span.start, span.end) == (0, len(body))
    assert body[span.value_start : span.value_end] == '<a target="_blank"\nhref="https://x">open</a>'


def test_contact_under_either_label() -> None:
    assert spans("<li><b>Recipient phone number</b>: 1</li>") == [("contact", "<li><b>Recipient phone number</b>: 1</li>")]
    assert spans("<li><b>Caller phone number</b>: 1</li>") == [("contact", "<li><b>Caller phone number</b>: 1</li>")]


def test_items_inside_notes_and_blocks_are_ignored() -> None:
    body = (
        "<b>Agent notes</b><br><li><b>Summary</b>: typed</li><br><br><b>Call details</b><br>"
        "<div><b>Transcript</b><br><li><b>Result</b>: said</li></div><li><b>Result</b>: real</li>"
    )
    assert [key for key, _ in spans(body)] == ["note", "transcript", "result"]
    assert body[parse_html(body).first["result"].start :] == "<li><b>Result</b>: real</li>"


def test_degraded_notes() -> None:
    body = "<b>Agent notes</b><br>old<br><br><div><b>AI Note</b><br>x</div>"
    parsed = parse_html(body)
    assert parsed.first["note"].degraded
    assert body[: parsed.first["note"].end] == "<b>Agent notes</b><br>old<br><br>"


def test_field_list_is_the_list_holding_the_first_field() -> None:
    body = "<ul><li>mine</li></ul><ul><li><b>Duration</b>: 5</li><ul><li>x</li></ul></ul>"
    assert parse_html(body).list_end == body.rindex("</ul>")
    assert parse_html("<ul><li>mine</li></ul><li><b>Duration</b>: 5</li>").list_end == -1
    assert parse_html("<ul><li><b>Duration</b>: 5</li>").list_end == -1


def test_composed_and_edited_items_mix() -> None:
    # Items exactly as the composer writes them are taken whole by the scan; others are
    # looked at label by label; neither is looked for inside a block.
    body = (
        "<li><b>Summary</b>: s</li><LI><B>Result</B>: r</LI>"
        "<DIV><b>Transcript</b><br>t<li><b>Duration</b>: inside</li></DIV>"
        '<div><b>AI Note</b><br>a<br>b</div><li><b>Call recording link</b>: <a target="_blank" href="x">open</a></li>'
    )
    assert spans(body) == [
        ("subject", "<li><b>Summary</b>: s</li>"),
        ("result", "<LI><B>Result</B>: r</LI>"),
        ("transcript", "<DIV><b>Transcript</b><br>t<li><b>Duration</b>: inside</li></DIV>"),
        ("ai_note", "<div><b>AI Note</b><br>a<br>b</div>"),
        ("recording", '<li><b>Call recording link</b>: <a target="_blank" href="x">open</a></li>'),
    ]
    assert parse_html(body).find("recording") is not None


def test_a_bare_field_at_the_very_start_never_borrows_a_tag_from_the_end() -> None:
    # The opening tag is looked for just before the label; at offset 0 there is none, and the
    # "<li>" that happens to end the body must not be taken for it.
    body = "<b>Summary</b>: x<li>"
    assert spans(body) == [("subject", "<b>Summary</b>: x")]
    body = "<b>Summary</b>: x<div>"
    assert spans(body) == [("subject", "<b>Summary</b>: x")]
