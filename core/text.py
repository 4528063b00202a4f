"""Text as people type or paste it: the one normaliser and the one control-character cleaner.

Every app compares and cleans text through these functions so that search, NG words, prohibited
items, postal codes, the facility import, forms and the mirror's feeds all agree on what two
texts that read the same are, and on which characters never reach a page or an XML document.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dashes people type between digits (postal codes, phone numbers), for a regex character class:
# hyphens and dashes U+2010-U+2015, the minus sign U+2212 (Japanese IMEs give it for "-"), the long
# vowel mark ー in both widths and the full-width hyphen-minus. NFKC leaves most of them alone.
DASHES = "\u2010-\u2015\u2212\u30fc\uff0d\uff70"

_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # ァ..ヶ → ぁ..ゖ

# Line breaks from Windows, old Macs, Word (vertical tab for Shift+Enter), Excel cells (form
# feed), and the Unicode next-line, line and paragraph separators all become "\n".
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 control characters except tab and newline (they break XML feeds and terminals),
# surrogates, and Unicode noncharacters (U+FDD0..U+FDEF and the last two of every plane).
_UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)
# Bidi embedding, override and isolate controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they turn
# the text after them around on screen, so "Free sofa \u202egnp.exe" reads as "...exe.png". Japanese
# text never needs them; the plain marks LRM/RLM (U+200E/F) stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Every kind of line break a one-line field refuses (before cleaning turns them into "\n").
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")
# Characters that take no visible room: zero-width spaces and joiners, the byte-order mark, bidi
# marks, Hangul fillers, the braille blank. A text of only these (and spaces) reads as empty.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def text_normalise(text: str | None, *, case: bool = False, kana: bool = False) -> str:
    """The text with widths folded by NFKC (ｲｽ → イス, ＡＢＣ → ABC, １００ → 100); with `case`, in
    lower case; with `kana`, katakana as hiragana (ベビーカー → べびーかー; the long vowel mark stays)."""
    text = unicodedata.normalize("NFKC", text or "")
    if case:
        # lower(), not casefold(): search_text, the NG word list and saved searches store this
        # form; casefold() would differ for ß, ς and Cherokee and need a rebuild_search_index.
        text = text.lower()
    if kana:
        text = text.translate(_KATAKANA)
    return text


def text_fold(text: str | None) -> str:
    """The text as search, NG words and prohibited items compare it: widths, case and kana folded."""
    return text_normalise(text, case=True, kana=True)


def controls_clean(text: str) -> str:
    """The text with every kind of line break as "\\n" and without control characters (except \\n
    and \\t), surrogates and noncharacters, which break XML documents and terminals, nor bidi
    override controls, which turn text around on screen."""
    if not text:
        return text
    return bidi_controls_drop(_UNWANTED.sub("", _NEWLINES.sub("\n", text)))


def bidi_controls_drop(text: str) -> str:
    """The text without bidi embedding, override and isolate controls (U+202A-202E, U+2066-2069)."""
    return _BIDI_CONTROLS.sub("", text) if text else text


def _is_blank_looking(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf" or char in _BLANK_LOOKING


def text_clean(value: str | None) -> str:
    """What a person typed, through controls_clean and trimmed; a text with nothing visible in it
    becomes "" (so a required field says it is required)."""
    text = controls_clean(value or "")
    start, end = 0, len(text)
    while start < end and _is_blank_looking(text[start]):
        start += 1
    while end > start and _is_blank_looking(text[end - 1]):
        end -= 1
    return text[start:end]


def validate_one_line(value: str) -> None:
    """Refuse a line break of any kind or a bidi override control in a one-line text (a title, a
    name, a label): it would split an email subject or header, or show the text backwards."""
    if _LINE_BREAKS.search(value or ""):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")
    if _BIDI_CONTROLS.search(value or ""):
        raise ValidationError(
            _("This contains invisible characters that change the direction of the text. Please type it again without them."),
            code="bidi_control",
        )
