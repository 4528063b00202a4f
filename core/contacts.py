"""Finding contact details in what residents write: phone numbers, email addresses, street
addresses, room numbers, messenger IDs, social profiles and web addresses.

Residents meet through the service's messages, never by publishing how to reach them (trust,
issue 16). The detector reads Japanese and international forms (full-width and kanji digits,
every kind of dash, "アット" for @) and stays quiet on what listings are full of: sizes, years,
prices, model numbers, dates and times. It is a warning, not a wall: every caller lets a person
who is sure say so, and then staff look.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.matching import FoldedText
from core.text import text_fold

PHONE, EMAIL, ADDRESS, ROOM, MESSENGER, SOCIAL, URL = "phone", "email", "address", "room", "messenger", "social", "url"

REASONS: dict[str, Promise] = {
    PHONE: _("looks like a phone number"),
    EMAIL: _("looks like an email address"),
    ADDRESS: _("looks like a street address"),
    ROOM: _("looks like a building or room number"),
    MESSENGER: _("looks like a messenger ID"),
    SOCIAL: _("looks like a link to a social media profile"),
    URL: _("looks like a web address"),
}


@dataclass(frozen=True)
class ContactDetail:
    """One contact detail found: its kind, the text as the person wrote it, and why it looks like one."""

    kind: str
    text: str

    @property
    def reason(self) -> Promise:
        """Why it was flagged, translated when shown ("looks like a phone number")."""
        return REASONS[self.kind]

    def __str__(self) -> str:
        return f"{self.reason}: {self.text}"


_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_ONE_TO_NINE = "一二三四五六七八九"


def _ten(text: str, index: int) -> str:
    """十 as digits, by its neighbours: 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23."""
    before = index > 0 and text[index - 1] in _ONE_TO_NINE
    after = index + 1 < len(text) and text[index + 1] in _ONE_TO_NINE
    return ("" if after else "0") if before else ("1" if after else "10")
_DASH_CHARS = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2500\u2501\u2043\ufe63")
_LONG_VOWEL = {"\u30fc", "\uff70"}  # ー is a dash only between digits (ライン keeps it)


def _prepare(text: str) -> tuple[str, list[int]]:
    """The text folded (widths, case, katakana as hiragana), kanji digits as digits and dashes as
    "-", with, for each character, the index of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char in _LONG_VOWEL or char in _DASH_CHARS:
            out.append(char if char in _LONG_VOWEL else "-")
            where.append(index)
            continue
        folded = _ten(text, index) if char == "十" else text_fold(char).translate(_KANJI_DIGITS)
        if out and folded and unicodedata.combining(folded[0]):  # ｶﾞ: the sound mark joins the kana before it
            out[-1] = unicodedata.normalize("NFC", out[-1] + folded)
            continue
        for piece in folded:
            out.append(piece)
            where.append(index)
    for i, char in enumerate(out):
        if char in _LONG_VOWEL:
            before = out[i - 1] if i else ""
            after = out[i + 1] if i + 1 < len(out) else ""
            if before.isdigit() and (after.isdigit() or after == " "):
                out[i] = "-"
    return "".join(out), where


_TLDS = (
    r"(?:com|net|org|jp|info|biz|io|me|co|app|dev|ly|gl|be|to|tv|cc|xyz|site|online|link|page|"
    r"tokyo|us|uk|fm|ne|ac|or|go|ed|lg)"
)
_SOCIAL_DOMAINS = re.compile(
    r"(?:instagram\.com|instagr\.am|twitter\.com|(?<![a-z0-9.-])x\.com|facebook\.com|fb\.com|fb\.me|"
    r"tiktok\.com|threads\.net|youtube\.com|youtu\.be|note\.com|ameblo\.jp|mixi\.jp|pinterest\.com|"
    r"linkedin\.com)"
)
# Shops residents name as where they bought something ("Amazon.co.jpで購入"): no contact detail
# when written bare, without a scheme, www or a path.
_SHOP_MENTIONS = frozenset({"amazon.co.jp", "amazon.com", "rakuten.co.jp", "yahoo.co.jp", "zozo.jp", "ikea.com", "muji.com", "apple.com"})
_MESSENGER_DOMAINS = re.compile(r"(?:line\.me|lin\.ee|page\.line\.me|t\.me|wa\.me|discord\.gg|m\.me)")

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'、。「」()]+"
    r"|(?<![a-z0-9@._%+-])(?:[a-z0-9][a-z0-9-]*\.)+" + _TLDS + r"(?![a-z0-9-])(?:/[^\s<>\"'、。「」()]*)?"
)
_AT = r"(?:@|\(at\)|\[at\]|<at>|\(あっと\)|あっと|\s+at\s+)"
_DOT = r"(?:\.|\(dot\)|\[dot\]|<dot>|どっと|\s+dot\s+)"
_EMAIL = re.compile(
    r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*\s*" + _AT + r"\s*[a-z0-9][a-z0-9-]*(?:\s*" + _DOT + r"\s*[a-z0-9-]+)*"
    r"\s*" + _DOT + r"\s*" + _TLDS + r"(?![a-z0-9])"
)
_ID = r"@?(?=[a-z0-9._-]*[a-z0-9])[a-z0-9][a-z0-9._-]{2,29}(?![a-z0-9._-])"
_SAID = r"(?:は|:|=|→|->|⇒)"
_SAYS = r"\s*(?:の)?\s*(?:id|あいでぃー?|あかうんと|account)?\s*" + _SAID + r"\s*"
_MESSENGER = re.compile(
    r"(?:line|らいん|kakao(?:talk)?|かかお(?:とーく)?|wechat|telegram|てれぐらむ|discord|でぃすこーど|skype|"
    r"すかいぷ|whatsapp|signal)(?:" + _SAYS + r"|\s*(?:id|あいでぃー?)\s*)" + _ID
    + r"|(?<![a-z0-9])id\s*" + _SAID + r"\s*" + _ID
)
_SOCIAL = re.compile(
    r"(?:instagram|insta|いんすた(?:ぐらむ)?|twitter|ついったー|tiktok|てぃっくとっく|facebook|ふぇいすぶっく|"
    r"threads|youtube|ゆーちゅーぶ|(?<![a-z0-9])x)(?:" + _SAYS + r"|\s+)" + r"@" + _ID[2:]
    + r"|(?:instagram|insta|いんすた(?:ぐらむ)?|twitter|ついったー|tiktok|facebook|ふぇいすぶっく)" + _SAYS + _ID
)
_HANDLE = re.compile(r"(?<![a-z0-9._%+-])@(?=[a-z0-9_.]*[a-z])[a-z0-9_][a-z0-9_.]{2,29}(?![a-z0-9_])")

_SEP = r"[ .\-()の]{0,2}"
_PHONE = re.compile(
    r"(?<![\d.,\-/])(?:\+\s?81[\s\-]?(?:\(0\))?|\(?0)(?:\d" + _SEP + r"){8,11}\d(?![\d,])(?!\.\d|-\d|/\d)"
)
# What follows a number in a listing (folded: katakana as hiragana), so 90-100-110cm is a size.
_UNITS = (
    r"(?:\s*(?:人|歳|才|個|枚|本|cm|mm|m|kg|g|円|年|月|日|時|分|点|回|冊|着|足|台|号|型|色|段|け|か|ゖ|箇|w|v|l|%|倍|巻|"
    r"話|さいず|せんち|きろ|いんち|つ|袋|箱|組|脚|畳|合|杯|部|ぺーじ|p))"
)
_ADDRESS = re.compile(
    r"\d{1,3}\s*丁目\s*(?:の\s*)?-?\s*\d{1,4}(?:\s*(?:番地?|-)\s*(?:の\s*)?\d{0,4}\s*号?)?"
    r"|(?<!\d)\d{1,4}\s*番地(?:\s*の?\s*\d{1,4}(?:\s*号)?)?"
    r"|(?<!\d)\d{1,4}\s*番\s*(?:の\s*)?\d{1,4}\s*号(?!室|車|機|線|館|店)"
    r"|(?<![a-z0-9.\-/:])\d{1,3}-\d{1,3}-\d{1,4}(?:-\d{1,4})?(?![a-z0-9\-.]|" + _UNITS + r")"
)
_ROOM = re.compile(
    r"\d{1,4}\s*号室"
    r"|(?:はいつ|こーぽ|まんしょん|あぱーと|れじでんす|めぞん|はいむ|荘|びる|たわー|ぱれす|こーと|てらす|ゔぃら|ぷらざ|"
    r"ひるず|ろいやる|さんしゃいん|はうす|寮|団地|住宅)[^\s\d、。,.#]{0,6}\s*(?:\d{1,2}\s*号棟\s*)?\d{3,4}(?!\d|" + _UNITS + r"|\s*[x×*])"
    r"|(?<![a-z0-9&])#\s?\d{3,4}(?![\d\-]|" + _UNITS + r")"
    r"|(?<![a-z])room\s*\d{3,4}(?!\d)"
    r"|\d{1,2}\s*号棟\s*\d{3,4}"
)


def _phone_digits_fit(found: str) -> bool:
    """A Japanese number has 10 digits (landline, 0120) or 11 (mobile, 050, 0800); +81 drops the 0."""
    digits = re.sub(r"\D", "", found)
    if digits.startswith("81") and "+" in found:
        national = digits[2:]
        if found.replace(" ", "").count("(0)"):
            national = national[1:]
        return len(national) in (9, 10)
    return len(digits) in (10, 11)


def _date_like(found: str) -> bool:
    """1-2-3 that is a date (2024-5-1 is taken out by the 1-3 digit groups; 12-5-2024 is not)."""
    parts = found.split("-")
    return len(parts) == 3 and len(parts[2]) == 4 and parts[2].startswith(("19", "20"))


_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    (EMAIL, _EMAIL),
    (URL, _URL),
    (MESSENGER, _MESSENGER),
    (SOCIAL, _SOCIAL),
    (PHONE, _PHONE),
    (ROOM, _ROOM),
    (ADDRESS, _ADDRESS),
    (MESSENGER, _HANDLE),
)


def _find(normalised: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each contact detail in prepared text, in text order, never overlapping."""
    taken: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(normalised):
            start, end = match.span()
            found = match.group().rstrip(" .-(の/")
            end = start + len(found)
            if not found or any(start < e and s < end for s, e, _k in taken):
                continue
            if kind == URL:
                if found in _SHOP_MENTIONS:
                    continue
                kind = MESSENGER if _MESSENGER_DOMAINS.search(found) else SOCIAL if _SOCIAL_DOMAINS.search(found) else URL
            if kind == PHONE and not _phone_digits_fit(found):
                continue
            if kind == ADDRESS and _date_like(found):
                continue
            taken.append((start, end, kind))
    return sorted(taken)


def contact_details_in(*texts: str) -> list[ContactDetail]:
    """The contact details in the texts (a title, a description...), each with the text as the
    person wrote it; empty when there are none."""
    found: list[ContactDetail] = []
    for text in texts:
        if not text:
            continue
        normalised, where = _prepare(text)
        for start, end, kind in _find(normalised):
            detail = ContactDetail(kind=kind, text=text[where[start] : where[end - 1] + 1].strip())
            if detail not in found:
                found.append(detail)
    return found


def contact_details_describe(details: list[ContactDetail]) -> str:
    """One line naming each contact detail and why ("looks like a phone number: 090-…"), for staff."""
    return "; ".join(str(detail) for detail in details)


class ContactFinder:
    """The detector as a core.matching Finder, reading the same FoldedText as the word lists."""

    def find(self, folded: FoldedText) -> list[str]:
        """Each contact detail in the folded text, named with its reason."""
        normalised, _where = _prepare(folded.text)
        return [f"{REASONS[kind]}: {normalised[start:end]}" for start, end, kind in _find(normalised)]
