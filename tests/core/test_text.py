"""core.text: the one normaliser and the one control-character cleaner; core.forms.TextField."""

import pytest

from core.forms import TextField
from core.text import controls_clean, text_clean, text_fold, text_normalise


@pytest.mark.parametrize(
    "raw,width_only,folded",
    [
        ("ＡＢＣ　１２３", "ABC 123", "abc 123"),  # full-width letters, digits and space
        ("ｲﾝﾃﾘｱ ﾗﾝﾌﾟ", "インテリア ランプ", "いんてりあ らんぷ"),  # half-width katakana, voiced mark joined
        ("ｲｽ", "イス", "いす"),
        ("いす", "いす", "いす"),  # hiragana stays hiragana
        ("ベビーカー", "ベビーカー", "べびーかー"),  # the long vowel mark stays, so ソファ ≠ ソファー
        ("SONY Walkman", "SONY Walkman", "sony walkman"),
        ("〒１０４－００６１", "〒104-0061", "〒104-0061"),
        ("ヴァイオリン", "ヴァイオリン", "ゔぁいおりん"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_the_normaliser_folds_width_and_with_fold_also_case_and_kana(raw, width_only, folded):
    assert text_normalise(raw) == width_only
    assert text_fold(raw) == folded


def test_case_and_kana_fold_separately():
    assert text_normalise("Ｆｕｒｎｉｔｕｒｅ カグ", case=True) == "furniture カグ"  # category names: カグ ≠ かぐ
    assert text_normalise("Ｆｕｒｎｉｔｕｒｅ カグ", kana=True) == "Furniture かぐ"
    assert text_normalise("ｶｸﾞ", case=True) == text_normalise("カグ", case=True)


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("bell\x07 escape\x1b[31m backspace\x08 delete\x7f", "bell escape[31m backspace delete"),
        ("line one\x0bline two", "line one\nline two"),  # Word's Shift+Enter, pasted
        ("page\x0cbreak", "page\nbreak"),
        ("windows\r\nold mac\rend", "windows\nold mac\nend"),
        ("non\ufffecharacter\ufdd0s\U0010ffff", "noncharacters"),
        ("nul\x00 removed", "nul removed"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
        ("\u200b\u200b本棚\ufeff ", "本棚"),
        ("👩\u200d👩\u200d👧 家族", "👩\u200d👩\u200d👧 家族"),  # joiners inside emoji stay
        ("本棚\u202e逆\u2066x\u2069", "本棚逆x"),  # bidi overrides dropped: they turn text around on screen
    ],
)
def test_text_clean(raw, clean):
    assert text_clean(raw) == clean


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("本\x07\x0b\x0c\x1b\x7f\x08\ufffe棚", "本\n\n棚"),  # what the feed test pastes from Excel
        ("  spaces stay  ", "  spaces stay  "),  # unlike text_clean: it cleans pieces of a document
        ("\u200b", "\u200b"),
        ("a\u2028b\x85c", "a\nb\nc"),
        ("", ""),
    ],
)
def test_controls_clean_removes_control_characters_and_keeps_the_rest(raw, clean):
    assert controls_clean(raw) == clean


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", " \u3000\u200c\u2060\ufeff", "\u3164", "\x00", "\x07\x0b"])
def test_a_field_with_nothing_visible_is_required_like_an_empty_one(invisible):
    field = TextField(max_length=10)
    with pytest.raises(Exception) as error:
        field.clean(invisible)
    assert error.value.code == "required"
