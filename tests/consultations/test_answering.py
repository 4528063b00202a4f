"""A resident answers a consultation once, may change the answer until it closes, and sees that
they have answered; everyone else is told why they cannot."""

from datetime import timedelta

import pytest
from django.urls import reverse

from consultations.models import Ballot, Comment
from tests.consultations.conftest import answer_data, make_consultation

pytestmark = pytest.mark.django_db


def test_a_resident_answers_once_and_sees_they_have_answered(alice_client, consultation):
    url = reverse("consultations:detail", args=[consultation.pk])
    page = alice_client.get(url).content.decode()
    assert "晴海地区の公園整備計画" in page and "回答を送信する" in page and "匿名" in page

    response = alice_client.post(url, answer_data(consultation, text="ベンチを増やしてほしいです。"))

    assert response.status_code == 302
    [ballot] = Ballot.objects.all()
    single, multiple, scale, ranking, _text = consultation.questions.order_by("position")
    assert ballot.answers[str(single.pk)] == single.options.first().pk
    assert ballot.answers[str(scale.pk)] == 4
    assert ballot.answers[str(ranking.pk)] == list(ranking.options.values_list("pk", flat=True))[::-1][:1] + list(ranking.options.values_list("pk", flat=True))[:2]
    assert not ballot.paper and ballot.town.name == "銀座一丁目" or ballot.town is not None
    [comment] = Comment.objects.all()
    assert comment.text == "ベンチを増やしてほしいです。" and comment.status == "pending"
    page = alice_client.get(url).content.decode()
    assert "回答済みです" in page and "回答を変更する" in page


def test_answering_again_changes_the_answer_and_keeps_one_ballot(alice_client, consultation):
    url = reverse("consultations:detail", args=[consultation.pk])
    alice_client.post(url, answer_data(consultation, scale=2, text="最初の意見"))
    alice_client.post(url, answer_data(consultation, scale=5, text=""))

    [ballot] = Ballot.objects.all()
    scale = consultation.questions.get(kind="scale")
    assert ballot.answers[str(scale.pk)] == 5
    assert not Comment.objects.exists()  # the emptied free text is gone
    page = alice_client.get(url).content.decode()
    assert 'value="5" checked' in page or 'checked value="5"' in page or f'name="q{scale.pk}" value="5"' in page


def test_two_residents_make_two_ballots(alice_client, bob_client, consultation):
    url = reverse("consultations:detail", args=[consultation.pk])
    alice_client.post(url, answer_data(consultation))
    bob_client.post(url, answer_data(consultation, single=2))
    assert Ballot.objects.count() == 2


def test_no_answer_or_change_once_it_is_closed(alice_client, consultation, clock):
    url = reverse("consultations:detail", args=[consultation.pk])
    alice_client.post(url, answer_data(consultation, scale=2))
    clock.move_to(consultation.closes_at + timedelta(seconds=1))

    response = alice_client.post(url, answer_data(consultation, scale=5), follow=True)

    assert "このアンケートは締め切られました。" in response.content.decode()
    scale = consultation.questions.get(kind="scale")
    assert Ballot.objects.get().answers[str(scale.pk)] == 2


@pytest.mark.parametrize("who, reason", [
    ("client", "区民としてログインすると回答できます。"),
    ("carol_client", "確認済みの区民だけが回答できます。"),
    ("bob_client", "一部の町の方にお聞きするもので"),
])
def test_who_may_not_answer_is_told_why_and_nothing_is_stored(request, staff, who, reason):
    from accounts.models import Town

    ginza = Town.objects.get(postal_codes__code="1040061")
    consultation = make_consultation(staff, towns=[ginza])  # Alice's town; Bob lives in 月島
    client = request.getfixturevalue(who)
    url = reverse("consultations:detail", args=[consultation.pk])

    assert reason in client.get(url).content.decode()
    client.post(url, answer_data(consultation))

    assert not Ballot.objects.exists()


def test_a_draft_is_not_found_by_residents_and_previewed_by_staff(alice_client, staff_client, staff):
    draft = make_consultation(staff, publish=False, title="下書きのアンケート")
    url = reverse("consultations:detail", args=[draft.pk])

    assert alice_client.get(url).status_code == 404
    page = staff_client.get(url).content.decode()
    assert "下書きのアンケート" in page and "プレビュー" in page and "回答を送信する" not in page
    assert staff_client.post(url, answer_data(draft)).status_code == 302
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("change, error", [
    ({"multiple": (0, 1, 2)}, "2 個まで選んでください。"),
    ({"ranking": (0, 0, 1)}, "一つの選択肢には一つの順位だけを付けてください。"),
    ({"text": "電話は 090-1234-5678 まで"}, "電話番号"),
    ({"text": "あ" * 201}, "200 文字以下"),
])
def test_a_wrong_answer_is_explained_and_nothing_is_stored(alice_client, consultation, change, error):
    url = reverse("consultations:detail", args=[consultation.pk])
    response = alice_client.post(url, answer_data(consultation, **change))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Ballot.objects.exists()


def test_an_unknown_option_or_a_missing_required_answer_is_refused(alice_client, consultation):
    url = reverse("consultations:detail", args=[consultation.pk])
    data = answer_data(consultation)
    single = consultation.questions.get(kind="single")
    data[f"q{single.pk}"] = "999999"
    scale = consultation.questions.get(kind="scale")
    del data[f"q{scale.pk}"]

    page = alice_client.post(url, data).content.decode()

    assert "正しく選択してください" in page and "このフィールドは必須です。" in page
    assert not Ballot.objects.exists()


def test_publishing_twice_is_refused_and_keeps_the_first_time(staff, consultation):
    from django.core.exceptions import ValidationError

    from consultations import services

    first = consultation.published_at
    with pytest.raises(ValidationError):
        services.consultation_publish(actor=staff, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.published_at == first
