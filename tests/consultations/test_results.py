"""Results: hidden until the consultation closes (or live when staff chose so), online and paper
answers counted side by side, charts with the same numbers as their tables and the CSV, and the
answers by town only for towns with at least CONSULTATIONS_MIN_CELL answers."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Town
from consultations import services
from consultations.models import Question
from consultations.results import consultation_results
from tests.consultations.conftest import answer_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GINZA, TSUKISHIMA, HARUMI = "1040061", "1040052", "1040053"


def _answer(consultation, postal_code: str, **choices) -> None:
    from django.test import Client

    client = Client()
    client.force_login(make_user(postal_code=postal_code))
    assert client.post(reverse("consultations:detail", args=[consultation.pk]), answer_data(consultation, **choices)).status_code == 302


def _options(consultation, kind: str) -> list[int]:
    return list(consultation.questions.get(kind=kind).options.values_list("pk", flat=True))


def test_results_wait_for_the_closing_unless_staff_show_them_live(client, consultation, clock):
    url = reverse("consultations:results", args=[consultation.pk])
    assert "締切" in client.get(url).content.decode() and "<svg" not in client.get(url).content.decode()
    assert client.get(reverse("consultations:results_csv", args=[consultation.pk])).status_code == 404

    consultation.results_live = True
    consultation.save(update_fields=["results_live"])
    assert "<svg" in client.get(url).content.decode()

    consultation.results_live = False
    consultation.save(update_fields=["results_live"])
    clock.move_to(consultation.closes_at)
    assert "<svg" in client.get(url).content.decode()


def test_online_and_paper_answers_are_counted_side_by_side_and_agree_with_chart_table_and_csv(client, consultation, staff, clock):
    _answer(consultation, GINZA, single=0, scale=5, ranking=(1, 0, 2))
    _answer(consultation, TSUKISHIMA, single=0, scale=3, ranking=(1, 2, 0))
    _answer(consultation, HARUMI, single=2, multiple=(1,), scale=4, ranking=(0, 1, 2))
    single, multiple, scale, ranking = (consultation.questions.get(kind=k) for k in ("single", "multiple", "scale", "ranking"))
    paper = {str(single.pk): _options(consultation, "single")[0], str(scale.pk): 1}
    services.paper_answer_add(actor=staff, consultation=consultation, answers=paper, comments={}, town=None)
    clock.move_to(consultation.closes_at)

    found = consultation_results(consultation)

    assert (found.ballots_online, found.ballots_paper) == (3, 1)
    single_result = found.questions[0]
    assert [(row.label, row.online, row.paper, row.total, row.percent) for row in single_result.rows] == [
        ("賛成", 2, 1, 3, 75), ("どちらともいえない", 0, 0, 0, 0), ("反対", 1, 0, 1, 25),
    ]
    scale_result = found.questions[2]
    assert scale_result.mean == round((5 + 3 + 4 + 1) / 4, 2)
    ranking_result = found.questions[3]
    firsts = {row.label: row.total for row in ranking_result.rows}
    assert firsts == {"安全": 1, "緑": 2, "静かさ": 0}
    assert {row.label: row.mean_rank for row in ranking_result.rows} == {"安全": round((2 + 3 + 1) / 3, 2), "緑": round((1 + 1 + 2) / 3, 2), "静かさ": round((3 + 2 + 3) / 3, 2)}
    assert found.questions[1].answered == 3  # the paper questionnaire left the several-choices question blank

    page = client.get(reverse("consultations:results", args=[consultation.pk])).content.decode()
    assert '<th scope="row">賛成</th><td>2</td><td>1</td><td>3</td><td>75</td>' in page
    assert "賛成: 3（75%）" in page  # the chart's description names the same figures
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("consultations:results_csv", args=[consultation.pk])).content.decode("utf-8-sig"))))
    for result in found.questions:
        for row in result.rows:
            [line] = [r for r in rows if r["question_number"] == str(result.number) and r["option"] == row.label]
            assert (int(line["online"]), int(line["paper"]), int(line["total"])) == (row.online, row.paper, row.total)


def test_the_csv_is_utf8_with_a_bom_for_spreadsheets(client, consultation, clock):
    clock.move_to(consultation.closes_at)
    response = client.get(reverse("consultations:results_csv", args=[consultation.pk]))
    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "計画に賛成ですか。" in response.content.decode("utf-8-sig")


def test_towns_below_the_threshold_are_merged_or_left_out(consultation, settings, clock):
    settings.CONSULTATIONS_MIN_CELL = 3
    for _ in range(4):
        _answer(consultation, GINZA, single=0)
    for _ in range(3):
        _answer(consultation, TSUKISHIMA, single=1)
    _answer(consultation, HARUMI, single=2)  # one answer: alone, it would give itself away
    ginza, tsukishima = (Town.objects.get(postal_codes__code=code).name for code in (GINZA, TSUKISHIMA))

    towns = consultation_results(consultation).questions[0].towns

    # 晴海 alone is below 3; merged with the smallest town shown (月島), so that the overall
    # figures minus the towns shown cannot give 晴海's one answer away
    assert [(town.label, town.answered, town.counts) for town in towns] == [
        (ginza, 4, [4, 0, 0]), ("その他の町（合算）", 4, [0, 3, 1]),
    ]
    assert tsukishima not in [town.label for town in towns]


def test_with_too_few_answers_everywhere_no_town_is_shown(consultation, settings):
    settings.CONSULTATIONS_MIN_CELL = 10
    _answer(consultation, GINZA)
    _answer(consultation, TSUKISHIMA)

    result = consultation_results(consultation).questions[0]

    assert result.towns == [] and result.towns_left_out == 2


def test_free_texts_are_published_only_after_review(client, consultation, staff, clock):
    _answer(consultation, GINZA, text="木陰が欲しいです。")
    _answer(consultation, TSUKISHIMA, text="夜は静かにしてほしい。")
    clock.move_to(consultation.closes_at)
    question = consultation.questions.get(kind=Question.Kind.TEXT)
    first, second = sorted(question.comments.all(), key=lambda comment: comment.text)

    services.comment_review(actor=staff, comment=first, publish=True)
    services.comment_review(actor=staff, comment=second, publish=False)

    page = client.get(reverse("consultations:results", args=[consultation.pk])).content.decode()
    assert first.text in page and second.text not in page


def test_no_cell_of_the_csv_runs_as_a_formula(client, staff, consultation, clock):
    question = consultation.questions.get(kind=Question.Kind.SINGLE)
    question.text = '=HYPERLINK("https://evil.example","計画")'
    services.question_save(actor=staff, question=question, options=["@SUM(1+1)", "-1", "+賛成"])
    clock.move_to(consultation.closes_at)

    rows = list(csv.reader(io.StringIO(client.get(reverse("consultations:results_csv", args=[consultation.pk])).content.decode("utf-8-sig"))))

    texts = [cell for row in rows[1:] for cell in row[1:4]]
    assert "'=HYPERLINK(\"https://evil.example\",\"計画\")" in texts
    assert {"'@SUM(1+1)", "'-1", "'+賛成"} <= set(texts)
    assert not [cell for cell in texts if cell[:1] in ("=", "+", "-", "@")]
