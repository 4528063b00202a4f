import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditRecord
from core.models import NGWord
from core.ngwords import ng_words_in
from moderation.ngwords import ng_word_add, ng_word_remove


def test_words_match_across_width_case_kana_and_spacing(staff):
    ng_word_add(actor=staff, word="バカ")
    ng_word_add(actor=staff, word="Spam")
    assert ng_words_in("ばか") == ["バカ"]  # named as staff wrote it, not in its normalised form
    assert ng_words_in("ﾊﾞｶ") == ["バカ"]
    assert ng_words_in("バ カ") == ["バカ"]
    assert ng_words_in("ＳＰＡＭです") == ["Spam"]
    assert ng_words_in("ばかり") == ["バカ"]  # a substring list: staff choose words with that in mind
    assert ng_words_in("親切な先生") == []


def test_adding_and_removing_words_is_audited_and_takes_effect_at_once(staff):
    assert ng_words_in("ばか") == []  # caches the empty list
    word = ng_word_add(actor=staff, word="バカ")
    assert ng_words_in("ばか") == ["バカ"]
    with pytest.raises(ValidationError):
        ng_word_add(actor=staff, word="ばか")  # the same word after normalising
    with pytest.raises(ValidationError):
        ng_word_add(actor=staff, word="   ")
    ng_word_remove(actor=staff, ng_word=word)
    assert ng_words_in("ばか") == []
    assert list(AuditRecord.objects.order_by("id").values_list("action", flat=True)) == [
        AuditRecord.Action.NG_WORD_ADD, AuditRecord.Action.NG_WORD_REMOVE,
    ]


def test_staff_manage_the_list_on_a_page(staff_client, bob_client):
    url = reverse("community_staff:ng_words")
    staff_client.post(url, {"word": "詐欺"})
    assert NGWord.objects.get().word == "詐欺"
    response = staff_client.post(url, {"word": "詐欺"})
    assert response.status_code == 200 and NGWord.objects.count() == 1
    assert bob_client.post(url, {"word": "善意"}).status_code == 403
    staff_client.post(reverse("community_staff:ng_word_delete", args=[NGWord.objects.get().pk]))
    assert not NGWord.objects.exists()
