"""Cleaning of text residents type or paste: one rule for every app's forms.

It lives in config/ rather than in an app because listings, accounts and community all use it and
imports between apps point one way; this is infrastructure, like config/env.py, not a domain.
"""

import re
import unicodedata

from django import forms

# Dashes people type between digits (postal codes, phone numbers), for a regex character class:
# hyphens and dashes U+2010-U+2015, the minus sign U+2212 (Japanese IMEs give it for "-"), the long
# vowel mark ー in both widths and the full-width hyphen-minus. NFKC leaves most of them alone.
DASHES = "\u2010-\u2015\u2212\u30fc\uff0d\uff70"

# Line breaks from Windows, old Macs, Word (vertical tab for Shift+Enter), form feeds and the
# Unicode line/paragraph separators all become "\n".
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 control characters except tab and newline (they break XML feeds and terminals),
# surrogates, and Unicode noncharacters (U+FDD0..U+FDEF and the last two of every plane).
_UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)
# Characters that take no visible room: zero-width spaces and joiners, the byte-order mark, bidi
# marks, Hangul fillers, the braille blank. A text of only these (and spaces) reads as empty.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _is_blank_looking(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf" or char in _BLANK_LOOKING


def text_clean(value: str) -> str:
    """Normalise newlines, drop control characters (except \\n and \\t) and noncharacters, and
    trim; a text with nothing visible in it becomes "" (so a required field says it is required)."""
    text = _UNWANTED.sub("", _NEWLINES.sub("\n", value or ""))
    start, end = 0, len(text)
    while start < end and _is_blank_looking(text[start]):
        start += 1
    while end > start and _is_blank_looking(text[end - 1]):
        end -= 1
    return text[start:end]


class TextField(forms.CharField):
    """A CharField whose value goes through text_clean before validation (length, required)."""

    def to_python(self, value):
        value = super().to_python(value)
        return text_clean(value) if value else value
