"""Staff pages for a consultation's answers: entering paper questionnaires, the printable
questionnaire, reviewing free-text answers, the texts published with the results and announcing
the consultation on LINE. Every write is a service call that audits it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from consultations import services
from consultations.forms import AnswerForm
from consultations.models import Ballot, Comment, Question
from core.forms import add_errors, flash_errors
from moderation.consultation_forms import PaperTownForm, ResultsTextForm
from moderation.consultation_views import consultation_of, questions_of
from moderation.line_segments import consultation_announce
from notifications.selectors import line_configured


def _paper_form(data, questions: list[Question]) -> AnswerForm:
    """The residents' answer form, where any question may stay empty: a paper questionnaire is
    entered as it came back, blanks included (the questions here are not saved)."""
    for question in questions:
        question.required = False
    form = AnswerForm(data, questions=questions)
    for field in form.fields.values():
        field.required = False
    return form


@staff_required
def paper_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper questionnaire per submit, counted beside the online answers (Ballot.paper)."""
    consultation = consultation_of(pk)
    questions = questions_of(consultation)
    form = _paper_form(request.POST or None, questions)
    town_form = PaperTownForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & town_form.is_valid():
        try:
            if not form.answers() and not any(form.comments().values()):
                raise ValidationError(_("This questionnaire is empty: enter at least one answer."), code="empty")
            services.paper_answer_add(
                actor=request.user, consultation=consultation, answers=form.answers(), comments=form.comments(),
                town=town_form.cleaned_data["town"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            count = Ballot.objects.filter(consultation=consultation, paper=True).count()
            messages.success(request, ngettext(
                "The paper answer is saved: %(count)s paper answer so far. Enter the next one.",
                "The paper answer is saved: %(count)s paper answers so far. Enter the next one.", count,
            ) % {"count": count})
            return redirect("moderation:consultation_paper", pk=pk)
    return render(request, "moderation/consultations/paper.html", {
        "consultation": consultation, "form": form, "town_form": town_form,
        "paper_count": Ballot.objects.filter(consultation=consultation, paper=True).count(),
    })


@staff_required
def questionnaire_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire on paper, for residents without the site: in Japanese whatever the staff
    member reads, like the postcard receipt."""
    consultation = consultation_of(pk)
    questions = questions_of(consultation)
    for question in questions:
        question.lines = range(min(12, max(3, question.max_length // 60)))
    with translation.override("ja"):
        response = render(request, "moderation/consultations/print.html", {"consultation": consultation, "questions": questions})
    response.headers["Content-Language"] = "ja"
    return response


@staff_required
def comment_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The free-text answers waiting for review: the question and the text, nothing about who
    wrote it (a ballot has no account)."""
    consultation = consultation_of(pk)
    comments = Comment.objects.filter(ballot__consultation=consultation)
    return render(request, "moderation/consultations/comments.html", {
        "consultation": consultation,
        "pending": list(comments.filter(status=Comment.Status.PENDING).select_related("question").order_by("question__position", "text")),
        "published": comments.filter(status=Comment.Status.PUBLISHED).count(),
        "rejected": comments.filter(status=Comment.Status.REJECTED).count(),
    })


@staff_required
@require_POST
def comment_review(request: HttpRequest, pk: int, comment_id) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("ballot__consultation"), pk=comment_id, ballot__consultation_id=pk)
    decision = request.POST.get("decision")
    if decision not in ("publish", "reject"):
        messages.error(request, _("Choose whether to publish the answer."))
        return redirect("moderation:consultation_comments", pk=pk)
    services.comment_review(actor=request.user, comment=comment, publish=decision == "publish")
    if decision == "publish":
        messages.success(request, _("The answer is published with the results."))
    else:
        messages.success(request, _("The answer will not be published."))
    return redirect("moderation:consultation_comments", pk=pk)


@staff_required
def results_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary of the answers and the ward's response (区の考え方), shown on the results page."""
    consultation = consultation_of(pk)
    form = ResultsTextForm(request.POST or None, initial={"summary": consultation.summary, "response": consultation.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.results_text_save(
                actor=request.user, consultation=consultation, summary=form.cleaned_data["summary"], response=form.cleaned_data["response"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The summary and the ward's response are saved."))
            return redirect("moderation:consultation", pk=pk)
    return render(request, "moderation/consultations/results_text.html", {
        "consultation": consultation, "form": form, "results_visible": consultation.results_visible(),
    })


@staff_required
@require_POST
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the consultation's title and link on LINE to the residents who asked for the ward's news."""
    consultation = consultation_of(pk)
    if not line_configured():
        messages.error(request, _("LINE is not set up on this site."))
        return redirect("moderation:consultation", pk=pk)
    try:
        message = consultation_announce(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The announcement is being sent to %(count)s residents.") % {"count": message.recipients})
    return redirect("moderation:consultation", pk=pk)
