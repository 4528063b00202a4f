"""Every write about consultations: the staff's (each with its audit row) and a resident's answer.

A resident's answer stores no account and no time (consultations.models); this module writes no
log line about it either.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Town, User
from accounts.selectors import check_staff_member
from consultations.models import Attachment, Ballot, Comment, Consultation, Option, Question
from consultations.selectors import answer_refusal
from consultations.voters import voter_key
from core.audit import audit_record
from core.models import AuditRecord
from core.ngwords import ng_words_in

Action = AuditRecord.Action
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
OPTIONS_MAX = 20
RANKING_MAX = 5


# --- A resident's answer -----------------------------------------------------------------------


def answer_submit(*, user: User, consultation: Consultation, answers: dict, comments: dict[int, str], now=None) -> Ballot:
    """Record (or replace) the resident's answers. `answers` maps question ids to what
    consultations.forms.AnswerForm cleaned; `comments` the free-text answers. One ballot per
    resident, also when two submissions race (the unique keyed hash decides)."""
    refusal = answer_refusal(user, consultation, now or timezone.now())
    if refusal:
        raise ValidationError(refusal, code="closed")
    key = voter_key(consultation_id=consultation.pk, user_id=user.pk)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(consultation=consultation, voter=key).first()
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(consultation=consultation, voter=key, town_id=user.town_id, answers=answers)
            except IntegrityError:  # the same resident's other submission came first: this one replaces it
                ballot = Ballot.objects.select_for_update().get(consultation=consultation, voter=key)
        ballot.answers = answers
        ballot.town_id = user.town_id
        ballot.save(update_fields=["answers", "town"])
        _comments_save(ballot, comments)
    return ballot


def _comments_save(ballot: Ballot, comments: dict[int, str]) -> None:
    """Free texts: a changed one waits for review again; an emptied one is deleted."""
    existing = {comment.question_id: comment for comment in ballot.comments.all()}
    for question_id, text in comments.items():
        comment = existing.get(question_id)
        if not text:
            if comment is not None:
                comment.delete()
            continue
        if comment is None:
            Comment.objects.create(ballot=ballot, question_id=question_id, text=text, flagged=bool(ng_words_in(text)))
        elif comment.text != text:
            comment.text, comment.status, comment.flagged = text, Comment.Status.PENDING, bool(ng_words_in(text))
            comment.save(update_fields=["text", "status", "flagged"])


def paper_answer_add(*, actor: User, consultation: Consultation, answers: dict, comments: dict[int, str], town: Town | None) -> Ballot:
    """Staff enter one paper questionnaire: counted beside the online answers, marked as paper."""
    check_staff_member(actor)
    if consultation.published_at is None:
        raise ValidationError(_("Publish the consultation before entering paper answers."), code="draft")
    with transaction.atomic():
        ballot = Ballot.objects.create(consultation=consultation, paper=True, town=town, answers=answers)
        _comments_save(ballot, comments)
        count = Ballot.objects.filter(consultation=consultation, paper=True).count()
        audit_record(actor=actor, action=Action.CONSULTATION_PAPER, target=consultation, after={"paper_answers": count})
    return ballot


# --- Staff: the consultation ----------------------------------------------------------------------


def _fields(consultation: Consultation) -> dict:
    return {
        "title": consultation.title,
        "opens_at": consultation.opens_at.isoformat() if consultation.opens_at else None,
        "closes_at": consultation.closes_at.isoformat() if consultation.closes_at else None,
        "results_live": consultation.results_live,
        "towns": sorted(town.pk for town in consultation.towns.all()) if consultation.pk else [],
        "facility": consultation.facility_id,
    }


def consultation_save(*, actor: User, consultation: Consultation, towns: list[Town]) -> Consultation:
    """Create or change a consultation (title, description, times, audience, facility)."""
    check_staff_member(actor)
    if consultation.opens_at and consultation.closes_at and consultation.closes_at <= consultation.opens_at:
        raise ValidationError({"closes_at": _("The closing time must come after the opening time.")})
    with transaction.atomic():
        before = _fields(Consultation.objects.get(pk=consultation.pk)) if consultation.pk else None
        if consultation.created_by_id is None:
            consultation.created_by = actor
        consultation.full_clean(exclude=["created_by"])
        consultation.save()
        consultation.towns.set(towns)
        audit_record(actor=actor, action=Action.CONSULTATION_SAVE, target=consultation, before=before, after=_fields(consultation))
    return consultation


def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Make a draft public (it opens at opens_at); it needs questions, and choices for each."""
    check_staff_member(actor)
    if consultation.published_at is not None:
        raise ValidationError(_("This consultation is already published."), code="published")
    questions = list(consultation.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError(_("Add at least one question first."), code="no_questions")
    for question in questions:
        if question.kind != Question.Kind.TEXT and question.kind != Question.Kind.SCALE and len(question.options.all()) < 2:
            raise ValidationError(_("“%(question)s” needs at least two options.") % {"question": question.text}, code="options")
    with transaction.atomic():
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["published_at", "updated_at"])
        audit_record(actor=actor, action=Action.CONSULTATION_PUBLISH, target=consultation, after=_fields(consultation))
    return consultation


def questions_frozen(consultation: Consultation) -> bool:
    """Once the first answer (online or on paper) arrives, questions keep their meaning: only the
    wording of a question and of its options can be fixed (audited)."""
    return Ballot.objects.filter(consultation=consultation).exists()


def question_save(*, actor: User, question: Question, options: list[str]) -> Question:
    """Add or change a question and its options (in order). After the first answer only the words
    may change: not the kind, the number of options, nor the limits."""
    check_staff_member(actor)
    consultation = question.consultation
    options = [label.strip() for label in options if label.strip()]
    if len(options) > OPTIONS_MAX:
        raise ValidationError(_("At most %(count)s options.") % {"count": OPTIONS_MAX}, code="options")
    if question.kind == Question.Kind.RANKING and len(options) > RANKING_MAX:
        raise ValidationError(_("A ranking has at most %(count)s options.") % {"count": RANKING_MAX}, code="options")
    if question.kind in (Question.Kind.TEXT, Question.Kind.SCALE):
        options = []
    with transaction.atomic():
        frozen = questions_frozen(consultation)
        before = _question_fields(Question.objects.get(pk=question.pk)) if question.pk else None
        if frozen:
            _check_wording_only(question, before, options)
        if question.pk is None:
            question.position = consultation.questions.count() + 1
        question.full_clean(exclude=["consultation"])
        question.save()
        current = list(question.options.all())
        if frozen:
            for option, label in zip(current, options, strict=True):
                option.label = label
            Option.objects.bulk_update(current, ["label"])
        else:
            question.options.all().delete()
            Option.objects.bulk_create([Option(question=question, position=i, label=label) for i, label in enumerate(options, 1)])
        action = Action.CONSULTATION_WORDING if frozen else Action.CONSULTATION_QUESTIONS
        audit_record(actor=actor, action=action, target=consultation, before=before, after=_question_fields(question))
    return question


def _question_fields(question: Question) -> dict:
    return {
        "question": question.pk, "kind": question.kind, "text": question.text, "help_text": question.help_text,
        "required": question.required, "max_choices": question.max_choices, "max_length": question.max_length,
        "options": [option.label for option in question.options.all()] if question.pk else [],
    }


def _check_wording_only(question: Question, before: dict | None, options: list[str]) -> None:
    if before is None:
        raise ValidationError(_("Answers have arrived: questions can no longer be added."), code="frozen")
    same = (
        question.kind == before["kind"] and question.required == before["required"]
        and question.max_choices == before["max_choices"] and question.max_length == before["max_length"]
        and len(options) == len(before["options"])
    )
    if not same:
        raise ValidationError(
            _("Answers have arrived: only the wording of the question and its options can be fixed."), code="frozen"
        )


def question_delete(*, actor: User, question: Question) -> None:
    check_staff_member(actor)
    consultation = question.consultation
    with transaction.atomic():
        if questions_frozen(consultation):
            raise ValidationError(_("Answers have arrived: questions can no longer be removed."), code="frozen")
        before = _question_fields(question)
        question.delete()
        audit_record(actor=actor, action=Action.CONSULTATION_QUESTIONS, target=consultation, before=before)


def attachment_add(*, actor: User, consultation: Consultation, upload) -> Attachment:
    """A PDF document, at most 20 MB; served by the site once the consultation is published."""
    check_staff_member(actor)
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("A document can be at most 20 MB."), code="too_big")
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Only PDF documents can be attached."), code="not_pdf")
    name = (upload.name or "document.pdf").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        attachment = Attachment(consultation=consultation, name=name, size=upload.size)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(actor=actor, action=Action.CONSULTATION_ATTACHMENT, target=consultation, after={"added": name})
    return attachment


def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    check_staff_member(actor)
    with transaction.atomic():
        audit_record(actor=actor, action=Action.CONSULTATION_ATTACHMENT, target=attachment.consultation, before={"removed": attachment.name})
        attachment.file.delete(save=False)
        attachment.delete()


# --- Staff: after the answers -------------------------------------------------------------------


def comment_review(*, actor: User, comment: Comment, publish: bool) -> Comment:
    """Publish a free-text answer in the results, or keep it out of them."""
    check_staff_member(actor)
    with transaction.atomic():
        comment.status = Comment.Status.PUBLISHED if publish else Comment.Status.REJECTED
        comment.save(update_fields=["status"])
        audit_record(actor=actor, action=Action.CONSULTATION_REVIEW, target=comment.ballot.consultation,
                     after={"comment": str(comment.pk), "status": comment.status})
    return comment


def results_text_save(*, actor: User, consultation: Consultation, summary: str, response: str) -> Consultation:
    """The summary of the answers and the ward's response (区の考え方), published with the results."""
    check_staff_member(actor)
    with transaction.atomic():
        before = {"summary": consultation.summary, "response": consultation.response}
        consultation.summary, consultation.response = summary, response
        consultation.save(update_fields=["summary", "response", "updated_at"])
        audit_record(actor=actor, action=Action.CONSULTATION_RESULTS, target=consultation, before=before,
                     after={"summary": summary, "response": response})
    return consultation


def consultation_announced(*, actor: User, consultation: Consultation, recipients: int) -> None:
    """Record that the staff announced the consultation to residents (the staff app sends it)."""
    check_staff_member(actor)
    consultation.announced_at = timezone.now()
    consultation.save(update_fields=["announced_at", "updated_at"])
    audit_record(actor=actor, action=Action.CONSULTATION_ANNOUNCE, target=consultation, after={"recipients": recipients})

