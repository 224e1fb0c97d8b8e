"""Phone-number keys for matching contacts across formats.

Every stored number and every lookup is reduced to the same two keys: its E.164 form
(``phonenumbers``, parsed in the connector's default region) and its digits. Lookups
compare E.164 first, so ``+16505550100``, ``(650) 555-0100`` and ``650-555-0100`` meet;
text that is not a possible phone number falls back to a digits-only comparison.
Nothing here raises on bad input: an unusable number simply has empty keys.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers

__all__ = ["PhoneKeys", "phone_keys"]

_NON_DIGITS = re.compile(r"\D+")
# phonenumbers refuses longer input anyway; cutting first keeps the regex work bounded.
_MAX_INPUT = 250


class PhoneKeys(NamedTuple):
    e164: str
    digits: str

    @property
    def is_empty(self) -> bool:
        return not self.e164 and not self.digits


def phone_keys(number: object, region: str) -> PhoneKeys:
    """The matching keys of ``number`` (any text; ``None`` gives empty keys)."""
    text = "" if number is None else str(number).strip()[:_MAX_INPUT]
    # Core turns the first space of a looked-up number into "+" (an unencoded "+" arrives as
    # a space), so "(650) 555-0100" reaches us as "(650)+555-0100": only a leading "+" counts.
    text = text[:1] + text[1:].replace("+", " ")
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        return PhoneKeys("", "")
    try:
        parsed = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return PhoneKeys("", digits)
    if not phonenumbers.is_possible_number(parsed):
        return PhoneKeys("", digits)
    return PhoneKeys(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), digits)
