"""What each resident wants to hear about and where: channels per event, quiet hours, the push
subscriptions of their devices, their link to the ward's LINE account, and the deliveries made
(one row per notice and channel, which is what keeps a retried task from notifying twice); the
ward's segment messages on LINE and their batches (notifications.segments)."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ALERTS_CAP_MAX = 100


class Event(models.TextChoices):
    """What a resident can be notified about (docs/NOTIFICATIONS.md)."""

    MESSAGE = "message", _("A new message")
    REQUEST = "request", _("A request for my item")
    RESERVED = "reserved", _("An item reserved for me")
    PICKUP = "pickup", _("A pickup time proposed or agreed")
    REMINDER = "reminder", _("A reminder before a pickup")
    LOTTERY = "lottery", _("A lottery result")
    ALERT = "alert", _("New listings for my saved searches")
    DECISION = "decision", _("A staff decision on my listing")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    LINE = "line", "LINE"
    PUSH = "push", _("Push notification")


def _default_quiet_start() -> datetime.time:
    return datetime.time(*settings.NOTICES["QUIET_START"])


def _default_quiet_end() -> datetime.time:
    return datetime.time(*settings.NOTICES["QUIET_END"])


def _default_alerts_cap() -> int:
    return settings.NOTICES["ALERTS_DAILY_CAP"]


class Preference(models.Model):
    """A resident's notification settings; residents without a row have the defaults
    (notifications.selectors.preference_for)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    # {event: [channels]} for the events the resident changed; the others keep DEFAULT_CHANNELS.
    channels = models.JSONField(default=dict, blank=True)
    quiet_enabled = models.BooleanField(_("quiet hours"), default=True)
    quiet_start = models.TimeField(_("from"), default=_default_quiet_start)
    quiet_end = models.TimeField(_("until"), default=_default_quiet_end)
    # The daily digest of saved searches lists at most this many new items (searches set to "at
    # once" are not limited), and links to the rest.
    alerts_daily_cap = models.PositiveSmallIntegerField(
        _("New items in the daily digest, at most"), default=_default_alerts_cap,
        validators=[MinValueValidator(1), MaxValueValidator(ALERTS_CAP_MAX)],
        help_text=_("For saved searches sent once a day. Searches set to “at once” are not limited."),
    )
    # The ward's news on LINE (segment messages): off until the resident opts in; the interests are
    # listings.Category ids (this app does not import listings), matched against a message's.
    line_news = models.BooleanField(_("Receive news from the ward on LINE"), default=False)
    line_categories = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class PushSubscription(models.Model):
    """One browser on one device that accepted push (the Push API's subscription)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(_("device"), max_length=100, blank=True)  # as the resident's browser names it
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class LineLink(models.Model):
    """A resident's account linked to their LINE user of the ward's Official Account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link")
    line_user_id = models.CharField(max_length=64, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)


class Delivery(models.Model):
    """One notice on one channel. The unique key makes a second attempt at the same notice (a
    retried task, a redelivered event) find the first and send nothing."""

    class Status(models.TextChoices):
        HELD = "held", _("held for the end of quiet hours")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed (told by email instead)")
        SKIPPED = "skipped", _("not sent")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)  # the notice: "<event>:<object id>[:<step>]"
    channel = models.CharField(max_length=5, choices=Channel.choices)
    event = models.CharField(max_length=10, choices=Event.choices)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.HELD)
    payload = models.JSONField(default=dict)  # what to send once held notices are due
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["status", "due_at"], name="delivery_due")]


class SegmentMessage(models.Model):
    """A text from the ward to the linked residents who opted in to its news on LINE, narrowed by
    town and interest (セグメント配信). The recipients are fixed when staff send it, in batches."""

    class Status(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        PARTLY = "partly", _("partly sent")
        FAILED = "failed", _("failed")

    text = models.TextField(_("message"))
    town_ids = models.JSONField(default=list, blank=True)  # accounts.Town ids; empty: every town
    category_ids = models.JSONField(default=list, blank=True)  # listings.Category ids; empty: any interest
    recipients = models.PositiveIntegerField(_("recipients"))
    status = models.CharField(_("status"), max_length=7, choices=Status.choices, default=Status.SENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.recipients})"


class SegmentBatch(models.Model):
    """At most 500 recipients of a segment message: one multicast call to LINE. Its retry key goes
    with every attempt, so that LINE takes a retried call for the one it already accepted (409)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    message = models.ForeignKey(SegmentMessage, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField()
    size = models.PositiveSmallIntegerField()
    line_user_ids = models.JSONField(default=list)  # emptied once the batch is done
    retry_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="segment_batch_number")]
