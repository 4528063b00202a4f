"""Webhook endpoints the ward configures, the events we emit, and every delivery attempt."""

import base64
import secrets
import uuid

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EVENT_TYPES = [
    ("listing.published", _("Listing published")),
    ("listing.updated", _("Listing updated")),
    ("listing.reserved", _("Listing reserved")),
    ("listing.handed_over", _("Listing handed over")),
    ("listing.withdrawn", _("Listing withdrawn")),
    ("listing.expired", _("Listing expired")),
    ("listing.rejected", _("Listing rejected")),
    ("listing.hidden", _("Listing hidden")),
]


def new_secret() -> str:
    """A Standard Webhooks signing secret: "whsec_" and 32 random bytes in standard base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    # Only http(s): the sender speaks nothing else, and refusing here keeps ftp:// and friends out.
    url = models.URLField(_("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("Event types to send; empty means all."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.is_active and (not self.events or event_type in self.events)


class WebhookEvent(models.Model):
    """One thing that happened to a listing, with the payload every endpoint receives."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EVENT_TYPES)
    listing_id = models.BigIntegerField(db_index=True)
    sequence = models.PositiveIntegerField(help_text=_("Per listing, increasing: receivers order events by it."))
    payload = models.JSONField()
    # A default rather than auto_now_add: the payload's created_at is taken from the same value.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["listing_id", "sequence"], name="webhook_event_sequence")]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Gave up")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]


class WebhookAttempt(models.Model):
    class Category(models.TextChoices):
        """Why an attempt failed. Only the category is kept, never the error text: an error such
        as "connection refused" against an address would map the ward's internal network."""

        TIMEOUT = "timeout", _("No answer in time")
        REFUSED = "refused", _("Connection refused or cut off")
        DNS = "dns", _("Host name not found")
        BLOCKED = "blocked", _("Address not allowed")
        TLS = "tls", _("TLS (encryption) error")
        REDIRECT = "redirect", _("Redirect (not followed)")
        HTTP_STATUS = "http_status", _("Error status")
        INACTIVE = "inactive", _("Endpoint turned off")

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    # Empty when the receiver answered 2xx.
    category = models.CharField(max_length=12, choices=Category.choices, blank=True)

    class Meta:
        ordering = ["started_at"]
