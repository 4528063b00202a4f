"""Ward consultations (区民アンケート / 意見募集): questions the ward asks residents, and their
anonymous answers (docs/CONSULTATIONS.md).

Anonymous by construction: a `Ballot` holds no account, no time and no sequential id. What keeps
one answer per resident is `voter`, a keyed hash of (consultation, account) with a key of its own
(CONSULTATION_VOTER_KEY, never the board's pseudonym key): the site can find a resident's own
ballot for them, to change it until the consultation closes, but nothing stored leads from a
ballot to an account without that key. A ballot keeps the resident's town, for results by town,
which are shown only for towns with at least CONSULTATIONS_MIN_CELL answers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from community.models import Facility


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Opens soon")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # None: a draft that only staff see; once published it shows from opens_at.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # No town: every resident of the municipality may answer.
    towns = models.ManyToManyField(Town, verbose_name=_("towns that may answer"), blank=True, related_name="+")
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    results_live = models.BooleanField(_("show results while it is open"), default=False)
    summary = models.TextField(_("summary of the answers"), max_length=20000, blank=True)
    response = models.TextField(_("the ward's response"), max_length=20000, blank=True)  # 区の考え方
    announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return self.Status.DRAFT
        if now < self.opens_at:
            return self.Status.SCHEDULED
        return self.Status.OPEN if now < self.closes_at else self.Status.CLOSED

    def results_visible(self, now=None) -> bool:
        """May the public see the results: after closing, or while open when staff chose so."""
        status = self.status(now)
        return status == self.Status.CLOSED or (status == self.Status.OPEN and self.results_live)


class Attachment(models.Model):
    """A document of the consultation (a PDF plan), served by the site only once the consultation
    is published (to staff before)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="consultations/%Y/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("A scale from 1 to 5")
        RANKING = "ranking", _("A ranking")
        TEXT = "text", _("Free text")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    # Several choices: at most this many (None: as many as there are options).
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    # Free text: at most this many characters.
    max_length = models.PositiveSmallIntegerField(_("at most this many characters"), default=400)
    # A scale: what 1 and 5 mean (e.g. 反対 / 賛成).
    scale_low = models.CharField(_("1 means"), max_length=50, blank=True)
    scale_high = models.CharField(_("5 means"), max_length=50, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One resident's answers, or one paper questionnaire's. No account, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    # consultations.voters.voter_key(consultation, account); None for a paper answer.
    voter = models.CharField(max_length=64, null=True, blank=True, editable=False)
    town = models.ForeignKey(Town, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paper = models.BooleanField(default=False)
    # {question id: answer}: an option id (one choice), option ids (several choices, a ranking in
    # order), a number 1-5 (a scale). Free text lives in Comment, for its review.
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "voter"], condition=Q(voter__isnull=False), name="ballot_one_per_resident"
            ),
        ]


class Comment(models.Model):
    """A free-text answer, published in the results only once staff reviewed it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # NG words found when it was written, for the reviewer.
    flagged = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "question"], name="comment_one_per_question")]
