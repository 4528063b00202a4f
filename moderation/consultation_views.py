"""Staff pages for ward consultations (区民アンケート), before the answers: the list, a
consultation's page, creating and editing it, its questions, its documents and publishing it.
The answers' pages (paper, print, review, results texts, announcing) are in
consultation_answer_views.py. Every write is a consultations.services call, which audits it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from consultations import services
from consultations.models import Attachment, Comment, Consultation, Question
from core.forms import add_errors, flash_errors
from moderation.consultation_forms import AttachmentForm, ConsultationForm, QuestionForm
from notifications.selectors import line_configured


def consultation_of(pk: int) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("facility").prefetch_related("towns"), pk=pk)


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.prefetch_related("options"))


@staff_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Every consultation, drafts too, with its answers online and on paper and the free-text
    answers waiting for review."""
    consultations = list(
        Consultation.objects.prefetch_related("towns").annotate(
            online=Count("ballots", filter=Q(ballots__paper=False), distinct=True),
            paper=Count("ballots", filter=Q(ballots__paper=True), distinct=True),
            pending=Count("ballots__comments", filter=Q(ballots__comments__status=Comment.Status.PENDING), distinct=True),
        )
    )
    now = timezone.now()
    for consultation in consultations:
        consultation.current_status = consultation.status(now)
    order = [Consultation.Status.DRAFT, Consultation.Status.SCHEDULED, Consultation.Status.OPEN, Consultation.Status.CLOSED]
    groups = [(status, [c for c in consultations if c.current_status == status]) for status in order]
    return render(request, "moderation/consultations/list.html", {"groups": groups, "any": bool(consultations)})


@staff_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    form = ConsultationForm(request.POST or None, initial={
        "opens_at": now + timezone.timedelta(days=7), "closes_at": now + timezone.timedelta(days=37),
    })
    if request.method == "POST" and form.is_valid():
        consultation = form.apply(Consultation())
        try:
            services.consultation_save(actor=request.user, consultation=consultation, towns=list(form.cleaned_data["towns"]))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The consultation is saved as a draft. Add its questions, then publish it."))
            return redirect("moderation:consultation", pk=consultation.pk)
    return render(request, "moderation/consultations/form.html", {"form": form, "consultation": None})


@staff_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(pk)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_for(consultation))
    if request.method == "POST" and form.is_valid():
        changed = form.apply(consultation_of(pk))  # a fresh row: nothing half-changed on `consultation` if refused
        try:
            services.consultation_save(actor=request.user, consultation=changed, towns=list(form.cleaned_data["towns"]))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("moderation:consultation", pk=pk)
    return render(request, "moderation/consultations/form.html", {"form": form, "consultation": consultation})


@staff_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation's page: its details, questions and documents, and what staff can do next."""
    consultation = consultation_of(pk)
    ballots = consultation.ballots.aggregate(
        online=Count("pk", filter=Q(paper=False)), paper=Count("pk", filter=Q(paper=True)),
    )
    return render(request, "moderation/consultations/detail.html", {
        "consultation": consultation,
        "status": consultation.status(),
        "questions": questions_of(consultation),
        "frozen": services.questions_frozen(consultation),
        "attachments": list(consultation.attachments.all()),
        "attachment_form": AttachmentForm(),
        "ballots": ballots,
        "pending": Comment.objects.filter(ballot__consultation=consultation, status=Comment.Status.PENDING).count(),
        "line_configured": line_configured(),
    })


def _question_page(request: HttpRequest, consultation: Consultation, question: Question) -> HttpResponse:
    initial = QuestionForm.initial_for(question) if question.pk else None
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A fresh row each time: a refused change leaves nothing on the objects the page shows.
        target = Question.objects.get(pk=question.pk) if question.pk else Question(consultation=consultation)
        try:
            services.question_save(actor=request.user, question=form.apply(target), options=form.option_labels())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("moderation:consultation", pk=consultation.pk)
    return render(request, "moderation/consultations/question_form.html", {
        "form": form, "consultation": consultation, "question": question if question.pk else None,
        "frozen": services.questions_frozen(consultation),
    })


@staff_required
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(pk)
    return _question_page(request, consultation, Question(consultation=consultation))


@staff_required
def question_edit(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    consultation = consultation_of(pk)
    question = get_object_or_404(consultation.questions.prefetch_related("options"), pk=question_id)
    return _question_page(request, consultation, question)


@staff_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    consultation = consultation_of(pk)
    question = get_object_or_404(consultation.questions.prefetch_related("options"), pk=question_id)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("moderation:consultation", pk=pk)


@staff_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a PDF document to attach."))
        return redirect("moderation:consultation", pk=pk)
    try:
        attachment = services.attachment_add(actor=request.user, consultation=consultation, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.name})
    return redirect("moderation:consultation", pk=pk)


@staff_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("consultation"), pk=attachment_id, consultation_id=pk)
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.name})
    return redirect("moderation:consultation", pk=pk)


@staff_required
@require_POST
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(pk)
    if consultation.published_at is not None:
        messages.info(request, _("This consultation is already published."))
        return redirect("moderation:consultation", pk=pk)
    try:
        services.consultation_publish(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The consultation is published: residents see it and can answer from its opening time."))
    return redirect("moderation:consultation", pk=pk)
