"""Redact payment-card numbers and US social security numbers before anything is written.

Why a TRANSFORM plugin with ``on_error="abort"``: it runs before the body is composed and
before any remote plugin sees the text (remote plugins run at order 500), and if it cannot
do its job (an unusable config, an unexpected error, a timeout) the log is refused rather
than written unredacted.

What counts as a card number: 13 to 19 digits, written together or in groups separated by
spaces or dashes, that pass the Luhn check. Groups are taken whole, so
"555 1234 4111 1111 1111 1111" redacts the card and keeps the phone number; when several
windows of one digit run pass the check, all their digits are masked. A digit run
longer than 19 without separators is left alone (it is an id, not a card). What counts as
an SSN: ``123-45-6789`` or ``123 45 6789`` with a valid area/group/serial, or nine digits
right after "SSN" / "social security number". Spoken digits ("four one one one") are not
recognised.

Texts redacted: the note, subject, AI note, transcript and RingSense texts of call logs
(and ``logInfo.customSubject``), and the text of each SMS. Identifiers and
``additionalSubmission`` are left alone: rewriting CRM ids would break the log.

Config (``plugin_redact_pci``): ``card_mask``, ``ssn_mask``, ``redact_ssn`` (default true),
``keep_last4`` (default false; "…1111" kept after the mask).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import msgspec

from composer.pipeline import CallLogEvent, LogEvent, MessageLogEvent, PluginContext, Stage, plugin


class RedactConfig(msgspec.Struct, kw_only=True):
    card_mask: str = "[card number redacted]"
    ssn_mask: str = "[SSN redacted]"
    redact_ssn: bool = True
    keep_last4: bool = False


_SEPARATOR_CLASS = "[ \\t\\u00a0\\-\\u2010-\\u2015]"
# Digits joined by at most three separator characters: linear, no backtracking blow-up.
_DIGIT_RUN = re.compile(rf"\d(?:{_SEPARATOR_CLASS}{{0,3}}\d)*")
_GROUP = re.compile(r"\d+")
_SSN = re.compile(r"(?<!\d)(\d{3})([- ])(\d{2})\2(\d{4})(?!\d)")
_SSN_LABELLED = re.compile(
    r"(?i)\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#|=)?\s*(\d{9})(?!\d)"
)
_MIN_DIGITS, _MAX_DIGITS = 13, 19


def _digit_values(text: str) -> list[int]:
    return [unicodedata.digit(ch) for ch in text]


def is_luhn_valid(digits: list[int]) -> bool:
    """The Luhn checksum (ISO/IEC 7812) over a list of digit values."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _card_spans(run: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, digits) of the card numbers inside one digit run.

    Every group-aligned window of 13-19 digits is checked; the groups of *all* Luhn-valid
    windows are masked (overlapping windows merge). Picking one window could leave part of
    the real number visible when a neighbouring window happens to pass the check as well.
    """
    groups = [(m.start(), m.end(), _digit_values(m.group())) for m in _GROUP.finditer(run)]
    covered = [False] * len(groups)
    for i in range(len(groups)):
        count = 0
        for j in range(i, len(groups)):
            count += len(groups[j][2])
            if count > _MAX_DIGITS:
                break
            if count >= _MIN_DIGITS and is_luhn_valid([d for g in groups[i : j + 1] for d in g[2]]):
                for k in range(i, j + 1):
                    covered[k] = True
    spans: list[tuple[int, int, list[int]]] = []
    k = 0
    while k < len(groups):
        if not covered[k]:
            k += 1
            continue
        first = k
        while k + 1 < len(groups) and covered[k + 1]:
            k += 1
        spans.append((groups[first][0], groups[k][1], [d for g in groups[first : k + 1] for d in g[2]]))
        k += 1
    return spans


def _card_mask(config: RedactConfig, digits: list[int]) -> str:
    if config.keep_last4:
        return f"{config.card_mask} …{''.join(str(d) for d in digits[-4:])}"
    return config.card_mask


def redact_cards(text: str, config: RedactConfig) -> str:
    pieces: list[str] = []
    last = 0
    for run in _DIGIT_RUN.finditer(text):
        for start, end, digits in _card_spans(run.group()):
            pieces.append(text[last : run.start() + start])
            pieces.append(_card_mask(config, digits))
            last = run.start() + end
    pieces.append(text[last:])
    return "".join(pieces)


def _is_valid_ssn(area: str, group: str, serial: str) -> bool:
    area_number = int(area)
    return area_number not in (0, 666) and area_number < 900 and int(group) != 0 and int(serial) != 0


def redact_ssns(text: str, config: RedactConfig) -> str:
    def dashed(match: re.Match[str]) -> str:
        area, _sep, group, serial = match.groups()
        return config.ssn_mask if _is_valid_ssn(area, group, serial) else match.group()

    def labelled(match: re.Match[str]) -> str:
        digits = match.group(1)
        if not _is_valid_ssn(digits[:3], digits[3:5], digits[5:]):
            return match.group()
        return match.group()[: match.start(1) - match.start()] + config.ssn_mask

    return _SSN_LABELLED.sub(labelled, _SSN.sub(dashed, text))


def redact_text(text: str, config: RedactConfig) -> str:
    # SSNs first: their pattern is the more specific one, so an SSN next to a card number is
    # masked as an SSN instead of being swallowed into a card-number window.
    redacted = redact_ssns(text, config) if config.redact_ssn else text
    return redact_cards(redacted, config)


def _redact(value: Any, config: RedactConfig) -> Any:
    return redact_text(value, config) if isinstance(value, str) and value else value


_CALL_TEXTS = (
    "note",
    "subject",
    "ai_note",
    "transcript",
    "ring_sense_transcript",
    "ring_sense_summary",
    "ring_sense_bulleted_summary",
)


@plugin(
    name="redact_pci",
    stage=Stage.TRANSFORM,
    order=10,
    applies_to={"call.create", "call.update", "message.create"},
    timeout=2.0,
    on_error="abort",
    config=RedactConfig,
)
async def redact_pci(event: LogEvent, context: PluginContext, config: RedactConfig) -> LogEvent | None:
    """Redact card numbers (Luhn-checked) and US SSNs from every free text of the log."""
    if isinstance(event, MessageLogEvent):
        messages = [
            {**message, "subject": _redact(message.get("subject"), config)} if "subject" in message else message
            for message in event.messages
        ]
        if messages == event.messages:
            return None
        return msgspec.structs.replace(event, messages=messages)
    if not isinstance(event, CallLogEvent):
        return None
    changes = {name: _redact(getattr(event, name), config) for name in _CALL_TEXTS}
    changes = {name: value for name, value in changes.items() if value != getattr(event, name)}
    custom_subject = event.call_log.get("customSubject")
    if isinstance(custom_subject, str) and custom_subject:
        redacted_subject = redact_text(custom_subject, config)
        if redacted_subject != custom_subject:
            changes["call_log"] = {**event.call_log, "customSubject": redacted_subject}
    return msgspec.structs.replace(event, **changes) if changes else None
