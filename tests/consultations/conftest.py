"""A consultation open now, with a question of each kind, made through the staff's services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, Question


def make_consultation(staff, *, towns=(), opens=timedelta(days=-1), closes=timedelta(days=7), publish=True, **fields) -> Consultation:
    now = timezone.now()
    consultation = Consultation(title=fields.pop("title", "晴海地区の公園整備計画についてのアンケート"),
                                description="整備計画（案）についてご意見をお聞かせください。",
                                opens_at=now + opens, closes_at=now + closes, **fields)
    services.consultation_save(actor=staff, consultation=consultation, towns=list(towns))
    questions = [
        (Question(kind="single", text="計画に賛成ですか。"), ["賛成", "どちらともいえない", "反対"]),
        (Question(kind="multiple", text="公園に欲しい設備は。", max_choices=2), ["遊具", "ベンチ", "トイレ", "広場"]),
        (Question(kind="scale", text="今の公園の満足度は。", scale_low="不満", scale_high="満足"), []),
        (Question(kind="ranking", text="優先する順に並べてください。", required=False), ["安全", "緑", "静かさ"]),
        (Question(kind="text", text="ご意見をご自由にお書きください。", required=False, max_length=200), []),
    ]
    for question, options in questions:
        question.consultation = consultation
        services.question_save(actor=staff, question=question, options=options)
    if publish:
        services.consultation_publish(actor=staff, consultation=consultation)
    return consultation


@pytest.fixture
def consultation(staff):
    return make_consultation(staff)


def answer_data(consultation: Consultation, *, single=0, multiple=(0, 1), scale=4, ranking=(2, 0, 1), text="") -> dict:
    """The answer form's POST data: options by their index in each question."""
    single_q, multiple_q, scale_q, ranking_q, text_q = consultation.questions.order_by("position")
    options = {q.pk: list(q.options.values_list("pk", flat=True)) for q in (single_q, multiple_q, ranking_q)}
    data = {
        f"q{single_q.pk}": str(options[single_q.pk][single]),
        f"q{multiple_q.pk}": [str(options[multiple_q.pk][i]) for i in multiple],
        f"q{scale_q.pk}": str(scale),
        f"q{text_q.pk}": text,
    }
    for place, index in enumerate(ranking, 1):
        data[f"q{ranking_q.pk}_{place}"] = str(options[ranking_q.pk][index])
    return data
