"""The figures of a consultation, computed once for the results page, its charts, the CSV and the
public API, so that they always agree (docs/CONSULTATIONS.md).

Per question: how many answered online and on paper, a row per option (a number of the scale,
or for a ranking the first choices, with each option's mean rank), the published free-text
answers; and for choice questions the answers by town, for towns with at least
CONSULTATIONS_MIN_CELL answers. Smaller towns are merged into one "other towns" row when together
they reach that many, and left out otherwise, so that no small group's answers can be read off.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from consultations.models import Ballot, Comment, Consultation, Question

SCALE = range(1, 6)


@dataclass
class Row:
    label: str
    online: int = 0
    paper: int = 0
    mean_rank: float | None = None  # rankings only
    percent: int = 0  # of those who answered the question, rounded

    @property
    def total(self) -> int:
        return self.online + self.paper


@dataclass
class TownRow:
    label: str
    answered: int
    counts: list[int]  # one per row of the question, in the same order


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered_online: int = 0
    answered_paper: int = 0
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None  # the mean of a scale
    comments: list[str] = field(default_factory=list)  # published free texts
    comments_pending: int = 0
    towns: list[TownRow] = field(default_factory=list)
    towns_left_out: int = 0  # answers from towns too small to show, even merged

    @property
    def answered(self) -> int:
        return self.answered_online + self.answered_paper


@dataclass
class Results:
    consultation: Consultation
    ballots_online: int
    ballots_paper: int
    questions: list[QuestionResult]
    min_cell: int

    @property
    def ballots(self) -> int:
        return self.ballots_online + self.ballots_paper


def _chosen(question: Question, value) -> list[int]:
    """The option ids (or scale numbers) an answer names, in its order."""
    if value is None or value == "" or value == []:
        return []
    return [int(item) for item in value] if isinstance(value, list) else [int(value)]


def consultation_results(consultation: Consultation) -> Results:
    """Every figure of the consultation, from its ballots (three queries)."""
    questions = list(consultation.questions.prefetch_related("options"))
    ballots = list(Ballot.objects.filter(consultation=consultation).values_list("paper", "town__name", "answers"))
    comments = defaultdict(list)
    pending = Counter()
    written = defaultdict(Counter)  # {question id: {paper: answers written}}, whatever their review
    for question_id, text, status, paper in Comment.objects.filter(ballot__consultation=consultation).order_by("id").values_list(
        "question_id", "text", "status", "ballot__paper"
    ):
        written[question_id][paper] += 1
        if status == Comment.Status.PUBLISHED:
            comments[question_id].append(text)
        elif status == Comment.Status.PENDING:
            pending[question_id] += 1
    k = settings.CONSULTATIONS_MIN_CELL
    results = [
        _question_result(question, number, ballots, comments[question.pk], pending[question.pk], written[question.pk], k)
        for number, question in enumerate(questions, 1)
    ]
    paper = sum(1 for is_paper, _town, _answers in ballots if is_paper)
    return Results(consultation, len(ballots) - paper, paper, results, k)


def _question_result(
    question: Question, number: int, ballots: list, comments: list[str], pending: int, written: Counter, k: int
) -> QuestionResult:
    result = QuestionResult(question=question, number=number, comments=comments, comments_pending=pending)
    if question.kind == Question.Kind.TEXT:
        # answers written, whatever their review, online or on a paper questionnaire
        result.answered_online, result.answered_paper = written[False], written[True]
        return result
    keys = list(SCALE) if question.kind == Question.Kind.SCALE else [option.pk for option in question.options.all()]
    labels = [str(n) for n in SCALE] if question.kind == Question.Kind.SCALE else [o.label for o in question.options.all()]
    rows = {key: Row(label) for key, label in zip(keys, labels, strict=True)}
    ranks = defaultdict(list)
    by_town: dict[str, Counter] = defaultdict(Counter)
    answered_by_town: Counter = Counter()
    for paper, town, answers in ballots:
        chosen = [key for key in _chosen(question, answers.get(str(question.pk))) if key in rows]
        if not chosen:
            continue
        if paper:
            result.answered_paper += 1
        else:
            result.answered_online += 1
        counted = chosen[:1] if question.kind == Question.Kind.RANKING else chosen
        for key in counted:
            if paper:
                rows[key].paper += 1
            else:
                rows[key].online += 1
        if question.kind == Question.Kind.RANKING:
            for rank, key in enumerate(chosen, 1):
                ranks[key].append(rank)
        else:
            town_label = town or _("Town not given")
            answered_by_town[town_label] += 1
            by_town[town_label].update(counted)
    for key, positions in ranks.items():
        rows[key].mean_rank = round(sum(positions) / len(positions), 2)
    result.rows = list(rows.values())
    for row in result.rows:
        row.percent = round(100 * row.total / result.answered) if result.answered else 0
    if question.kind == Question.Kind.SCALE and result.answered:
        result.mean = round(sum(n * rows[n].total for n in SCALE) / result.answered, 2)
    if question.kind != Question.Kind.RANKING:
        result.towns, result.towns_left_out = _town_rows(keys, by_town, answered_by_town, k)
    return result


def _town_rows(keys: list, by_town: dict, answered: Counter, k: int) -> tuple[list[TownRow], int]:
    """Towns with at least k answers; the others merged into one row. When the others together have
    fewer than k, the smallest town shown joins them (else the overall figures minus the towns
    shown would give the small group's answers away); with no town to join, they are left out."""
    shown = sorted((town for town in answered if answered[town] >= k), key=lambda town: (-answered[town], town))
    small = [town for town in answered if answered[town] < k]
    if small and sum(answered[town] for town in small) < k and shown:
        small.append(shown.pop())
    rows = [TownRow(town, answered[town], [by_town[town][key] for key in keys]) for town in sorted(shown)]
    small_answered = sum(answered[town] for town in small)
    if small_answered >= k:
        merged = Counter()
        for town in small:
            merged.update(by_town[town])
        rows.append(TownRow(_("Other towns (together)"), small_answered, [merged[key] for key in keys]))
        return rows, 0
    return rows, small_answered
