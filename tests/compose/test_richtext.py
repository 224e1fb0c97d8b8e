"""Markdown rendered to HTML that cannot carry its author's markup."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from composer.compose import ComposeRequest, compose_call_log, markdown_to_html


def test_markdown_renders_without_raw_html() -> None:
    assert markdown_to_html("**hi** <script>x</script>\n- a\n- b") == (
        "<p><strong>hi</strong> &lt;script&gt;x&lt;/script&gt;</p><ul><li>a</li><li>b</li></ul>"
    )


def test_unsafe_links_and_images_are_not_rendered() -> None:
    html = markdown_to_html("[x](javascript:alert(1)) ![i](https://t.example/p.png)")
    assert "javascript:" not in html.split("href=")[-1] or 'href="javascript' not in html
    assert "<img" not in html


def test_soft_breaks_become_br() -> None:
    assert markdown_to_html("a\nb") == "<p>a<br>b</p>"


def test_opt_in_rendering_in_html_bodies() -> None:
    request = ComposeRequest(logFormat="text/html", note="**n**", aiNote="- a\n- b", transcript="**t**")
    body = compose_call_log(request, render_markdown=True)
    assert body == (
        "<b>Agent notes</b><br><p><strong>n</strong></p><br><br><b>Call details</b><br>"
        "<div><b>AI Note</b><br><ul><li>a</li><li>b</li></ul></div><br>"
        "<div><b>Transcript</b><br>**t**</div><br>"
    )
    assert compose_call_log(ComposeRequest(logFormat="text/html", existingBody=body, note="**n**", aiNote="- a\n- b", transcript="**t**"), render_markdown=True) == body
    plain = compose_call_log(ComposeRequest(note="**n**"), render_markdown=True)
    assert plain == "- Note: **n**\n"


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_no_raw_tags_from_user_text(text: str) -> None:
    html = markdown_to_html(text)
    assert "<script" not in html.lower()
    assert "<div" not in html.lower() and "</div" not in html.lower()
