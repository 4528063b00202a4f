"""The anonymous community board: facilities, threads, posts, helpful marks, reports, reveals.

Anonymity: a post stores its author (for edits, rate limits, deletion and the audited reveal)
but every page shows only the post's pseudonym, which is derived per thread (services.pseudonym).
When the author deletes their account, their posts and threads are detached from it (author set
to None, services.posts_detach): nothing leads from them to the account any more.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from core.reports import Report


class FacilityKind(models.TextChoices):
    NINKA_HOIKUEN = "ninka_hoikuen", _("Licensed nursery (認可保育園)")
    NINSHO_HOIKUSHO = "ninsho_hoikusho", _("Certified nursery (認証保育所)")
    KODOMOEN = "kodomoen", _("Centre for early childhood (認定こども園)")
    KINDERGARTEN = "kindergarten", _("Kindergarten (幼稚園)")
    ELEMENTARY = "elementary", _("Elementary school (小学校)")
    JUNIOR_HIGH = "junior_high", _("Junior high school (中学校)")
    JIDOKAN = "jidokan", _("Children's centre (児童館)")
    AFTER_SCHOOL = "gakudo", _("After-school club (学童クラブ)")
    LIBRARY = "library", _("Library (図書館)")
    PARK = "park", _("Park (公園)")
    OTHER = "other", _("Other")


class Facility(models.Model):
    """A public institution; all of its details are public."""

    Kind = FacilityKind

    name = models.CharField(_("name"), max_length=120)
    name_kana = models.CharField(_("reading (kana)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices, default=FacilityKind.OTHER)
    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # What a re-import matches on: the municipality code, dataset and ID column, else the
    # normalised name and address (community.facilities._match).
    source_key = models.CharField(max_length=250, unique=True, editable=False)
    dataset = models.CharField(_("dataset"), max_length=60, blank=True, editable=False)  # the file it came from
    search_text = models.TextField(default="", blank=True, editable=False)  # normalised name, reading, address
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_kana", "name", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["kind", "name_kana"], name="facility_kind_reading")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:facility", args=[self.pk])


class Topic(models.TextChoices):
    NURSERIES = "nurseries", _("Nurseries")
    SCHOOLS = "schools", _("Schools")
    CHILDCARE = "childcare", _("Childcare in general")
    FACILITIES = "facilities", _("Parks and facilities")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    OTHER = "other", _("Other")


# The board topic a thread about a facility of each kind belongs to (preselected on the form).
FACILITY_TOPICS = {
    FacilityKind.NINKA_HOIKUEN: Topic.NURSERIES,
    FacilityKind.NINSHO_HOIKUSHO: Topic.NURSERIES,
    FacilityKind.KODOMOEN: Topic.NURSERIES,
    FacilityKind.KINDERGARTEN: Topic.NURSERIES,
    FacilityKind.ELEMENTARY: Topic.SCHOOLS,
    FacilityKind.JUNIOR_HIGH: Topic.SCHOOLS,
    FacilityKind.JIDOKAN: Topic.CHILDCARE,
    FacilityKind.AFTER_SCHOOL: Topic.CHILDCARE,
    FacilityKind.LIBRARY: Topic.FACILITIES,
    FacilityKind.PARK: Topic.FACILITIES,
    FacilityKind.OTHER: Topic.FACILITIES,
}


class Thread(models.Model):
    """A subject on the board; its first post (number 1) is the starter's text."""

    Topic = Topic

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=80)
    # None once the starter deleted their account (services.posts_detach).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Shown on the board while the opening post is published, or deleted or hidden with replies
    # to keep (community.services.thread_refresh).
    is_listed = models.BooleanField(default=False)
    # The opening post is hidden by staff: residents see a notice in place of the title as well,
    # since what broke the rules is often in the title too (a name). Restoring the post shows it.
    title_hidden = models.BooleanField(default=False)
    last_number = models.PositiveIntegerField(default=0)  # posts are numbered 1, 2, 3... in the thread
    reply_count = models.PositiveIntegerField(default=0)  # published replies, shown in the list
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [models.CheckConstraint(condition=Q(topic__in=Topic.values), name="thread_topic_valid")]
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], condition=Q(is_listed=True), name="thread_listed_active"),
            models.Index(fields=["topic", "-last_activity_at", "-id"], condition=Q(is_listed=True), name="thread_topic_active"),
            models.Index(fields=["facility", "-last_activity_at"], name="thread_facility_active"),
            models.Index(fields=["author", "-created_at"], name="thread_author_recent"),  # rate limit
        ]

    def __str__(self) -> str:
        return self.title or f"Thread {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:thread", args=[self.pk])


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Waiting for staff review")
    HIDDEN = "hidden", _("Hidden by staff")
    DELETED = "deleted", _("Deleted by the author")


class Post(models.Model):
    Status = PostStatus

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    # None once the author deleted their account (services.posts_detach).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pseudonym = models.CharField(max_length=12)  # stable per (thread, author), unlinkable across threads
    body = models.TextField(_("text"), max_length=4000)
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    is_official = models.BooleanField(default=False)  # 区からの回答: written by staff, never anonymous
    held_words = models.CharField(max_length=200, blank=True)  # the NG words that held it, for staff
    hidden_reason = models.TextField(blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="post_number_unique"),
            models.CheckConstraint(condition=Q(status__in=PostStatus.values), name="post_status_valid"),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),  # rate limit
            models.Index(fields=["status", "created_at"], condition=Q(status="held"), name="post_held_queue"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} in thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("community:post", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class Helpful(models.Model):
    """参考になった: one mark per resident per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helpful_once")]


class PostReport(Report):
    """A resident reports a board post; it waits for staff (the moderation queue reads these)."""

    class Reason(models.TextChoices):
        PERSONAL_INFO = "personal_info", _("Personal information about a named person")
        HARASSMENT = "harassment", _("Harassment or personal attack")
        FALSE_INFO = "false_info", _("False information")
        ADVERTISING = "advertising", _("Advertising or spam")
        OTHER = "other", _("Other")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta(Report.Meta):
        constraints = [*Report.Meta.constraints, models.UniqueConstraint(fields=["post", "reporter"], name="post_report_once")]


class RevealRequest(models.Model):
    """Four eyes: one staff member asks to see who wrote a reported post, another decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second staff member")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVEALED = "revealed", _("Author shown")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reveal_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision_reason = models.TextField(_("reason for the decision"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(status="pending"), name="reveal_one_pending_per_post"),
            models.CheckConstraint(condition=~Q(decided_by=models.F("requested_by")), name="reveal_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"Reveal request {self.pk} for post {self.post_id}"
