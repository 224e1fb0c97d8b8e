"""``appconnect compose``: single requests, shared SMS and JSON-lines batches."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from composer.compose.cli import run


def call(argv: list[str], stdin: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(argv, io.StringIO(stdin), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_single_request_prints_the_body_exactly() -> None:
    request = {"logFormat": "text/plain", "note": "n", "duration": 61, "ignored": {"x": 1}}
    assert call([], json.dumps(request)) == (0, "- Note: n\n- Duration: 1 minute, 1 second\n", "")
    code, out, _ = call([], json.dumps({"logFormat": "text/html", "subject": "s"}))
    assert (code, out) == (0, "<li><b>Summary</b>: s</li>")


def test_shared_sms_answers_subject_and_body() -> None:
    request = {"type": "sharedSms", "contactName": "Pat", "conversation": {"creationTime": 0}, "logFormat": "text/plain"}
    code, out, _ = call([], json.dumps(request))
    assert code == 0
    answer = json.loads(out)
    assert set(answer) == {"subject", "body"}
    assert answer["subject"] == "SMS conversation with Pat"
    assert answer["body"].startswith("Conversation summary\nStarted: Thursday, January 01, 1970 at 12:00 AM\n")


def test_invalid_json_exits_2() -> None:
    code, out, err = call([], "{nope")
    assert (code, out) == (2, "")
    assert "invalid JSON" in err


def test_uncomposable_request_exits_1() -> None:
    code, out, err = call([], json.dumps({"logFormat": "text/rtf"}))
    assert (code, out) == (1, "")
    assert "unknown logFormat" in err
    code, _, err = call([], json.dumps({"note": {"an": "object"}}))
    assert code == 1 and "invalid request" in err
    code, _, err = call([], "[1, 2]")
    assert code == 1 and "JSON object" in err


def test_jsonl_batch_keeps_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"note": "a"}),
        "",
        "{broken",
        json.dumps({"type": "sharedSms", "contactName": "X", "conversation": {}}),
        "   ",
        json.dumps({"logFormat": "x/y"}),
        json.dumps({"logFormat": "text/markdown", "subject": "s"}),
    ]
    code, out, err = call(["--jsonl"], "\n".join(lines) + "\n")
    assert (code, err) == (0, "")
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == 5
    assert answers[0] == {"body": "- Note: a\n"}
    assert set(answers[1]) == {"error"} and "invalid JSON" in answers[1]["error"]
    assert set(answers[2]) == {"subject", "body"}
    assert "unknown logFormat" in answers[3]["error"]
    assert answers[4] == {"body": "**Summary**: s\n"}


def test_usage() -> None:
    code, out, _ = call(["--help"], "")
    assert code == 0 and "appconnect compose" in out
    code, _, err = call(["--bogus"], "")
    assert code == 2 and "--bogus" in err


def test_render_markdown_flag() -> None:
    code, out, _ = call(["--render-markdown"], json.dumps({"logFormat": "text/html", "aiNote": "**a**"}))
    assert (code, out) == (0, "<div><b>AI Note</b><br><p><strong>a</strong></p></div><br>")


def test_in_a_separate_process() -> None:
    script = "import sys; from composer.compose.cli import run; sys.exit(run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))"
    done = subprocess.run(
        [sys.executable, "-c", script, "--jsonl"],
        input='{"subject": "s"}\n{"subject": "t"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == '{"body":"- Summary: s\\n"}\n{"body":"- Summary: t\\n"}\n'


def test_input_that_is_not_utf8() -> None:
    def stream(data: bytes) -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")

    stdout, stderr = io.StringIO(), io.StringIO()
    assert run([], stream(b'{"note": "\xff"}'), stdout, stderr) == 2
    assert "invalid JSON" in stderr.getvalue()
    stdout, stderr = io.StringIO(), io.StringIO()
    assert run(["--jsonl"], stream(b'{"note": "a"}\n' + b"\xff" * 9000 + b"\n"), stdout, stderr) == 2
    assert "not UTF-8" in stderr.getvalue()
