"""config.text: the one cleaning rule for text residents type or paste."""

import pytest

from config.text import TextField, text_clean


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
        ("本棚\u202e逆", "本棚\u202e逆"),  # visible text around it: stored, shown escaped
    ],
)
def test_text_clean(raw, clean):
    assert text_clean(raw) == clean


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", " \u3000\u200c\u2060\ufeff", "\u3164", "\x00", "\x07\x0b"])
def test_a_field_with_nothing_visible_is_required_like_an_empty_one(invisible):
    field = TextField(max_length=10)
    with pytest.raises(Exception) as error:
        field.clean(invisible)
    assert error.value.code == "required"
