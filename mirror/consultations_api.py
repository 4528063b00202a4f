"""The public API's ward consultations (区民アンケート), /api/v1/consultations (docs/MIRROR.md).

Published consultations only, never a draft. Their results (the same figures as the results page
and its CSV, from consultations.results) appear once the public may see them: after closing, or
while open when staff chose live results. Nothing personal: ballots hold no account, and the API
shows no ballot, voter hash or comment id, and no free text that staff have not published.
"""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Field, Path, Router, Schema

from consultations.models import Consultation
from consultations.results import Results, consultation_results
from consultations.selectors import consultations_public
from mirror.api_support import ErrorOut, content_versioned, json_response
from mirror.serializers import iso

router = Router(tags=["consultations"])

TIME = "To the minute, +09:00"


class FacilityRef(Schema):
    id: int
    name: str


class ConsultationOut(Schema):
    id: int
    title: str
    description: str
    status: Literal["scheduled", "open", "closed"] = Field(
        description="scheduled (published, opens later), open (residents may answer) or closed"
    )
    opens_at: datetime = Field(description=TIME)
    closes_at: datetime = Field(description=TIME)
    towns: list[str] = Field(description="Names of the towns whose residents may answer; empty when every resident may")
    facility: FacilityRef | None = Field(description="The facility of the ward's directory it is about, or null")
    url: str = Field(description="The consultation's page, where residents answer")
    results_url: str | None = Field(description="The results page; null until the results are public")
    csv_url: str | None = Field(description="The results as open data (CSV, UTF-8 with BOM); null until the results are public")
    ballots_online: int | None = Field(description="Answers sent online; null until the results are public")
    ballots_paper: int | None = Field(description="Paper questionnaires entered by staff; null until the results are public")


class QuestionOut(Schema):
    number: int = Field(description="1, 2, … in the order of the questionnaire")
    kind: Literal["single", "multiple", "scale", "ranking", "text"] = Field(
        description="single (one choice), multiple (several choices), scale (1 to 5), ranking (options in order), text (free text)"
    )
    text: str
    help_text: str
    required: bool
    options: list[str] = Field(description="The options, in order; empty for a scale and free text")
    max_choices: int | None = Field(description="multiple: at most this many choices (null: any number)")
    scale_low: str = Field(description="scale: what 1 means")
    scale_high: str = Field(description="scale: what 5 means")


class RowOut(Schema):
    label: str = Field(description="The option, or for a scale the number 1 to 5")
    online: int
    paper: int
    total: int
    percent: int = Field(description="Of those who answered the question, rounded")
    mean_rank: float | None = Field(description="ranking: the option's mean place (1 is best); null for other kinds")


class TownRowOut(Schema):
    label: str = Field(description="A town, or the smaller towns together")
    answered: int
    counts: list[int] = Field(description="One count per row of the question, in the same order")


class QuestionResultOut(Schema):
    number: int = Field(description="The question's number (see `questions`)")
    answered_online: int
    answered_paper: int
    rows: list[RowOut] = Field(
        description="One row per option (per number of a scale); a ranking counts first places. Empty for free text"
    )
    mean: float | None = Field(description="scale: the mean answer; null for other kinds")
    towns: list[TownRowOut] = Field(
        description="Choice and scale questions by town: towns below the site's minimum number of answers are merged "
        "into one row, or left out when even together they stay below it"
    )
    towns_left_out: int = Field(description="Answers from towns too small to show, even merged")
    comments: list[str] = Field(description="Free text: the answers staff reviewed and published")


class ConsultationDetailOut(ConsultationOut):
    questions: list[QuestionOut]
    results: list[QuestionResultOut] | None = Field(description="Per question, in order; null until the results are public")


def _base(consultation: Consultation, now, ballots: tuple[int, int] | None) -> dict:
    """The fields of the list; `ballots` (online, paper) when the results are public, else None."""
    visible = ballots is not None
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "description": consultation.description,
        "status": consultation.status(now),
        "opens_at": iso(consultation.opens_at),
        "closes_at": iso(consultation.closes_at),
        "towns": [town.name for town in consultation.towns.all()],
        "facility": {"id": consultation.facility.pk, "name": consultation.facility.name} if consultation.facility else None,
        "url": settings.SITE_URL + consultation.get_absolute_url(),
        "results_url": settings.SITE_URL + reverse("consultations:results", args=[consultation.pk]) if visible else None,
        "csv_url": settings.SITE_URL + reverse("consultations:results_csv", args=[consultation.pk]) if visible else None,
        "ballots_online": ballots[0] if visible else None,
        "ballots_paper": ballots[1] if visible else None,
    }


def _question(number: int, question) -> dict:
    return {
        "number": number,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": [option.label for option in question.options.all()],
        "max_choices": question.max_choices,
        "scale_low": question.scale_low,
        "scale_high": question.scale_high,
    }


def _results(found: Results) -> list[dict]:
    return [
        {
            "number": result.number,
            "answered_online": result.answered_online,
            "answered_paper": result.answered_paper,
            "rows": [
                {"label": row.label, "online": row.online, "paper": row.paper, "total": row.total,
                 "percent": row.percent, "mean_rank": row.mean_rank}
                for row in result.rows
            ],
            "mean": result.mean,
            "towns": [{"label": town.label, "answered": town.answered, "counts": town.counts} for town in result.towns],
            "towns_left_out": result.towns_left_out,
            "comments": result.comments,
        }
        for result in found.questions
    ]


def _counts(consultations: list[Consultation], now) -> dict[int, tuple[int, int]]:
    """(online, paper) ballots of each consultation whose results are public, in one query."""
    visible = [c.pk for c in consultations if c.results_visible(now)]
    rows = Consultation.objects.filter(pk__in=visible).annotate(
        online=Count("ballots", filter=Q(ballots__paper=False)), paper=Count("ballots", filter=Q(ballots__paper=True))
    ).values_list("pk", "online", "paper")
    return {pk: (online, paper) for pk, online, paper in rows}


def _in_japanese(render) -> HttpResponse:
    """The site's default language whatever the client's (the labels of merged towns are words):
    one answer per URL, as shared caches expect, like the feeds."""
    with translation.override(settings.LANGUAGE_CODE):
        return render()


def get_and_head(path: str, **options):
    """A GET operation and HEAD for it, as in mirror.api (HEAD stays out of the schema)."""

    def decorator(view):
        router.api_operation(["HEAD"], path, include_in_schema=False, **options)(view)
        return router.get(path, **options)(view)

    return decorator


@get_and_head("", response={200: list[ConsultationOut], 304: None, 400: ErrorOut, 429: ErrorOut})
def list_consultations(request: HttpRequest):
    """Published ward consultations (opening soon, open and closed), newest opening first; never a
    draft. The numbers of answers and the links to the results appear once the results are public."""

    def render() -> HttpResponse:
        now = timezone.now()
        consultations = list(consultations_public().select_related("facility"))
        counts = _counts(consultations, now)
        return json_response([_base(consultation, now, counts.get(consultation.pk)) for consultation in consultations])

    return content_versioned(request, lambda: _in_japanese(render))


@get_and_head("/{consultation_id}", response={200: ConsultationDetailOut, 304: None, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut})
def get_consultation(request: HttpRequest, consultation_id: int = Path(..., ge=1, le=9_223_372_036_854_775_807)):
    """One published consultation with its questions, and once the results are public (after
    closing, or while open when staff chose live results) every figure of the results page and
    its CSV. 404 for a draft or an unknown id."""

    def render() -> HttpResponse:
        consultation = consultations_public().select_related("facility").filter(pk=consultation_id).first()
        if consultation is None:
            return json_response({"detail": "No published consultation with this id."}, status=404)
        now = timezone.now()
        found = consultation_results(consultation) if consultation.results_visible(now) else None
        data = _base(consultation, now, (found.ballots_online, found.ballots_paper) if found else None)
        data["questions"] = [_question(number, q) for number, q in enumerate(consultation.questions.prefetch_related("options"), 1)]
        data["results"] = _results(found) if found is not None else None
        return json_response(data)

    return content_versioned(request, lambda: _in_japanese(render))
