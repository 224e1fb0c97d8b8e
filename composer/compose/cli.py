"""``appconnect compose``: compose bodies from JSON, for scripts, tests and other languages.

Single mode reads one request from stdin and writes the body exactly as composed (no newline
is added, so ``appconnect compose < req.json > body.txt`` round-trips bytes). A request with
``"type": "sharedSms"`` answers ``{"subject", "body"}`` as one JSON line instead.

``--jsonl`` reads one request per line and answers one JSON line per request, in order, in
one process: ``{"body": ...}`` (plus ``"subject"`` for shared SMS) or ``{"error": ...}``. A bad
line does not stop the batch; blank lines are skipped.

Exit codes: 0 done; 1 the request could not be composed (single mode); 2 usage, invalid JSON,
or input that is not UTF-8.
"""

from __future__ import annotations

from typing import Any, TextIO

import msgspec

from .call_log import compose_call_log
from .errors import ComposeError
from .models import ComposeRequest, SharedSmsRequest
from .shared_sms import compose_shared_sms

__all__ = ["USAGE", "run"]

USAGE = """\
usage: appconnect compose [--jsonl] [--render-markdown]

Read a compose request as JSON on stdin and print the composed body.
  --jsonl            one request per line; one JSON answer per line ({"body"} or {"error"})
  --render-markdown  render notes and AI summaries as Markdown in text/html bodies
A request with "type": "sharedSms" composes a shared-SMS conversation and prints {"subject", "body"}.
"""

_ENCODER = msgspec.json.Encoder()


def _answer(document: object, *, render_markdown: bool) -> dict[str, str]:
    """The JSON answer for one decoded request; raises ComposeError or msgspec.ValidationError."""
    if not isinstance(document, dict):
        raise ComposeError("a compose request must be a JSON object")
    if document.get("type") == "sharedSms":
        shared = msgspec.convert(document, SharedSmsRequest, strict=False)
        log = compose_shared_sms(shared)
        return {"subject": log.subject, "body": log.body}
    request = msgspec.convert(document, ComposeRequest, strict=False)
    return {"body": compose_call_log(request, render_markdown=render_markdown)}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, msgspec.ValidationError):
        return f"invalid request: {exc}"
    if isinstance(exc, msgspec.DecodeError):
        return f"invalid JSON: {exc}"
    return str(exc)


def _run_lines(stdin: TextIO, stdout: TextIO, stderr: TextIO, *, render_markdown: bool) -> int:
    try:
        for line in stdin:
            _answer_line(line, stdout, render_markdown=render_markdown)
    except UnicodeDecodeError as exc:
        # The stream itself is unreadable from here on; nothing later can be answered in order.
        stderr.write(f"appconnect compose: stdin is not UTF-8: {exc}\n")
        return 2
    return 0


def _answer_line(line: str, stdout: TextIO, *, render_markdown: bool) -> None:
    if not line.strip():
        return
    answer: dict[str, Any]
    try:
        answer = _answer(msgspec.json.decode(line), render_markdown=render_markdown)
    except (ComposeError, msgspec.ValidationError, msgspec.DecodeError) as exc:
        answer = {"error": _error_text(exc)}
    stdout.write(_ENCODER.encode(answer).decode() + "\n")
    stdout.flush()  # answers go out as they are made, so a co-process can read them


def run(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``appconnect compose`` with ``argv`` (the arguments after ``compose``); returns the exit code."""
    options = set(argv)
    if options & {"-h", "--help"}:
        stdout.write(USAGE)
        return 0
    unknown = options - {"--jsonl", "--render-markdown"}
    if unknown:
        stderr.write(f"appconnect compose: unknown argument {sorted(unknown)[0]!r}\n{USAGE}")
        return 2
    render_markdown = "--render-markdown" in options
    if "--jsonl" in options:
        return _run_lines(stdin, stdout, stderr, render_markdown=render_markdown)
    try:
        document = msgspec.json.decode(stdin.read())
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        stderr.write(f"appconnect compose: invalid JSON on stdin: {exc}\n")
        return 2
    try:
        answer = _answer(document, render_markdown=render_markdown)
    except (ComposeError, msgspec.ValidationError) as exc:
        stderr.write(f"appconnect compose: {_error_text(exc)}\n")
        return 1
    if "subject" in answer:
        stdout.write(_ENCODER.encode(answer).decode() + "\n")
    else:
        stdout.write(answer["body"])
    return 0
