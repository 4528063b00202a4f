"""Residents' pages: the consultations, answering one, its results and their open data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.selectors import is_staff_member
from consultations import selectors, services
from consultations.forms import AnswerForm
from consultations.models import Attachment, Consultation
from consultations.results import consultation_results
from core.forms import add_errors
from core.spreadsheet import SpreadsheetWriter


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    consultations = list(selectors.consultations_public())
    groups = {status: [c for c in consultations if c.status(now) == status] for status in Consultation.Status.values}
    return render(request, "consultations/list.html", {
        "open": groups[Consultation.Status.OPEN],
        "scheduled": groups[Consultation.Status.SCHEDULED],
        "closed": groups[Consultation.Status.CLOSED],
    })


def _consultation(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_for(request.user, pk)
    if consultation is None:
        raise Http404
    return consultation


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation, and the answer form for a resident who may answer (prefilled with their
    earlier answers, which they may change until it closes). Staff see drafts here as a preview."""
    consultation = _consultation(request, pk)
    refusal = selectors.answer_refusal(request.user, consultation)
    ballot = selectors.ballot_of(request.user, consultation) if refusal is None else None
    questions = list(consultation.questions.prefetch_related("options"))
    form = AnswerForm(request.POST or None, questions=questions, ballot=ballot) if refusal is None else None
    # Staff see a draft's or a coming consultation's form as residents will, without sending it.
    staff_preview = form is None and is_staff_member(request.user) and consultation.status() in (
        Consultation.Status.DRAFT, Consultation.Status.SCHEDULED)
    if request.method == "POST":
        if form is None:
            messages.error(request, refusal)
            return redirect(consultation)
        if form.is_valid():
            try:
                services.answer_submit(user=request.user, consultation=consultation, answers=form.answers(), comments=form.comments())
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Thank you. Your answer is saved; you can change it until the consultation closes."))
                return redirect(consultation)
    return render(request, "consultations/detail.html", {
        "consultation": consultation,
        "status": consultation.status(),
        "status_label": Consultation.Status(consultation.status()).label,
        "form": form or (AnswerForm(questions=questions) if staff_preview else None),
        "staff_preview": staff_preview,
        "answered": ballot is not None,
        "refusal": refusal,
        "questions": questions,
    })


def _results_or_404(request: HttpRequest, pk: int) -> Consultation:
    consultation = _consultation(request, pk)
    if not consultation.results_visible() and not is_staff_member(request.user):
        raise Http404
    return consultation


@require_safe
def results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(request, pk)
    if not consultation.results_visible() and not is_staff_member(request.user):
        return render(request, "consultations/results_later.html", {"consultation": consultation})
    return render(request, "consultations/results.html", {
        "consultation": consultation,
        "results": consultation_results(consultation),
        "staff_preview": not consultation.results_visible(),
    })


CSV_HEADER = ["question_number", "question", "kind", "option", "online", "paper", "total", "mean_rank", "question_mean"]


@require_safe
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The results as open data: UTF-8 with a byte order mark (Excel reads it as such), a row per
    option (per number of a scale), the same figures as the results page; no cell runs as a formula."""
    consultation = _results_or_404(request, pk)
    found = consultation_results(consultation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    response.write("\ufeff")
    writer = SpreadsheetWriter(response)  # a question or option written as =HYPERLINK(...) stays text
    writer.writerow(CSV_HEADER)
    for result in found.questions:
        question = result.question
        if not result.rows:
            writer.writerow([result.number, question.text, question.kind, "", result.answered_online, result.answered_paper, result.answered, "", ""])
        for row in result.rows:
            writer.writerow([
                result.number, question.text, question.kind, row.label, row.online, row.paper, row.total,
                "" if row.mean_rank is None else row.mean_rank, "" if result.mean is None else result.mean,
            ])
    return response


@require_safe
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A document of a published consultation (staff: of any); the file itself stays private."""
    consultation = _consultation(request, pk)
    document = get_object_or_404(Attachment, pk=attachment_id, consultation=consultation)
    return FileResponse(document.file.open("rb"), as_attachment=False, filename=document.name, content_type="application/pdf")
