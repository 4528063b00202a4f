"""What the ward's LINE Official Account keeps: each webhook event once (by LINE's event id), and
the single-use nonces of the account-link flow."""

from django.conf import settings
from django.db import models


class WebhookEvent(models.Model):
    """One event LINE delivered. The unique id makes a redelivery or a duplicate find the first
    row and do nothing; the payload is erased once the event is handled (only the id, type and
    times stay, for idempotency)."""

    webhook_event_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)


class LinkNonce(models.Model):
    """The nonce of one account-link attempt: made when a signed-in resident opens the link page,
    spent by the accountLink event that carries it (once, within LINK_NONCE_MINUTES)."""

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
