"""Conversations about a listing, their messages, reservations (取り置き), thanks, blocks and reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.reports import Report
from listings.models import Listing


class Conversation(models.Model):
    """One conversation per listing and requester; only the two participants read or write it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="conversations")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(auto_now_add=True)
    # Read state: the highest message id each side has seen.
    requester_read_upto = models.BigIntegerField(default=0)
    poster_read_upto = models.BigIntegerField(default=0)
    # The highest message id each side was emailed about (one email until they read).
    requester_notified_upto = models.BigIntegerField(default=0)
    poster_notified_upto = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "requester"], name="conversation_one_per_requester"),
        ]
        indexes = [
            models.Index(fields=["requester", "-last_message_at"], name="conversation_requester_recent"),
            models.Index(fields=["listing", "-last_message_at"], name="conversation_listing_recent"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} about listing {self.listing_id}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", args=[self.pk])

    @property
    def poster_id(self) -> int:
        return self.listing.owner_id

    def other_participant_id(self, user_id: int) -> int:
        return self.poster_id if user_id == self.requester_id else self.requester_id

    def read_upto_for(self, user_id: int) -> int:
        return self.requester_read_upto if user_id == self.requester_id else self.poster_read_upto


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Message")
        EVENT = "event", _("Event")  # written by the system: reserved, released, handed over...

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(max_length=2000)
    event = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_by_staff = models.BooleanField(default=False)  # after a report: both participants see a notice
    # The sending page's own id for a message, so that resending it after a dropped connection
    # does not store it twice.
    client_id = models.CharField(max_length=64, blank=True, default="")

    CLIENT_ID_LENGTH = 64

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"], condition=~Q(client_id=""), name="message_client_id_once"
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "id"], name="message_conversation_order"),
            models.Index(fields=["sender", "-created_at"], name="message_sender_recent"),  # rate limit
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class Reservation(models.Model):
    """The poster keeps the item for one requester. Only one active reservation per listing."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Reserved")
        RELEASED = "released", _("Released")
        HANDED_OVER = "handed_over", _("Handed over")
        NO_SHOW = "no_show", _("No-show")

    class Pickup(models.TextChoices):
        NONE = "", _("Not yet agreed")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Agreed")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reservations")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reservations")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reservations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    pickup_at = models.DateTimeField(null=True, blank=True)
    pickup_status = models.CharField(max_length=10, choices=Pickup.choices, default=Pickup.NONE, blank=True)
    pickup_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The database itself refuses a second active reservation, also when two requests race.
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="active"), name="reservation_one_active_per_listing"
            ),
        ]
        indexes = [models.Index(fields=["requester", "status"], name="reservation_requester_status")]

    def __str__(self) -> str:
        return f"Reservation {self.pk} of listing {self.listing_id}"


class Thanks(models.Model):
    """A short thank-you after a handover; counted on the receiver's profile."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="thanks")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thanks_received")
    text = models.CharField(_("thank-you note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reservation", "sender"], name="thanks_once_per_side")]


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no messages either way, no requests on each other's listings."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]


class MessageReport(Report):
    """A participant reports a message; it waits for staff (who may then read that conversation)."""

    class Reason(models.TextChoices):
        HARASSMENT = "harassment", _("Harassment or abuse")
        SPAM = "spam", _("Spam or advertising")
        SCAM = "scam", _("Fraud or asking for money")
        PERSONAL_INFO = "personal_info", _("Asks for or shares personal information")
        OTHER = "other", _("Other")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta(Report.Meta):
        constraints = [*Report.Meta.constraints, models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_message")]


class Lottery(models.Model):
    """The poster lets chance decide (抽選) among everyone who asked before `closes_at`."""

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="lottery")
    closes_at = models.DateTimeField(_("requests close at"))
    drawn_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Presence(models.Model):
    """When a user was last online (websocket or a messaging page), for unread-message emails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_seen_at = models.DateTimeField()
