"""core.matching: the one matcher behind NG words and prohibited items."""

import pytest

from core.matching import FoldedText, WordMatcher, word_key
from listings.models import ListingRules
from listings.rules import prohibited_items_in
from core.ngwords import ng_words_in
from moderation.ngwords import ng_word_add

WORDS = ["バカ", "Spam", "エアガン", "市販薬"]
# (text, the words found in it, as staff wrote them and in list order)
CASES = [
    ("ばか", ["バカ"]),  # hiragana finds katakana
    ("ﾊﾞｶ", ["バカ"]),  # half-width katakana
    ("バ カ", ["バカ"]),  # spaces inside do not hide a word
    ("ＳＰＡＭです", ["Spam"]),  # full width and case
    ("ばかり", ["バカ"]),  # a part of a word counts: staff choose words with that in mind
    ("ｴｱｶﾞﾝ 中古、spam", ["Spam", "エアガン"]),
    ("未開封の市販 薬です", ["市販薬"]),
    ("親切な先生", []),
]


@pytest.mark.parametrize("text,found", CASES)
def test_a_word_list_is_found_across_width_case_kana_and_spacing(text, found):
    assert WordMatcher.of_words(WORDS).found_in(text) == found


def test_stored_keys_match_like_fresh_ones_and_empty_keys_never_match():
    matcher = WordMatcher([(word_key("バカ"), "バカ"), ("", "   ")])
    assert matcher.found_in("ﾊﾞｶ", "です") == ["バカ"]
    assert matcher.found_in("   ") == []


def test_each_word_is_named_once_and_several_texts_are_read_together():
    matcher = WordMatcher.of_words(["バカ", "バカ"])
    assert matcher.find(FoldedText.of("バカ", "ばか")) == ["バカ"]
    assert WordMatcher.of_words(["ばかり"]).found_in("ば", "かり") == ["ばかり"]  # joined, then spaces ignored


@pytest.mark.parametrize("text,found", CASES)
def test_ng_words_and_prohibited_items_find_the_same_words(staff, text, found):
    for word in WORDS:
        ng_word_add(actor=staff, word=word)
    rules = ListingRules(prohibited_items="\n".join(WORDS))
    assert ng_words_in(text) == prohibited_items_in(rules, text) == found


def test_prohibited_items_split_lines_and_skip_bare_numbers():
    rules = ListingRules(prohibited_items="1：武器\n医薬品（処方薬・市販薬）")
    assert prohibited_items_in(rules, "第1類の市販薬", "武器") == ["武器", "市販薬"]
    assert prohibited_items_in(rules, "100円") == []
