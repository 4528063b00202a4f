"""Retention of what notices leave behind: delivery records after 90 days, LINE webhook event
ids after 30, account-link nonces once expired (manage.py apply_retention)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lineoa.models import LinkNonce, WebhookEvent
from notifications.models import Delivery
from tests.test_retention import retention

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def test_sent_deliveries_go_after_90_days_and_held_ones_stay(alice, clock):
    now = timezone.now()
    for key, status in [("a", Delivery.Status.SENT), ("b", Delivery.Status.FAILED), ("c", Delivery.Status.HELD)]:
        Delivery.objects.create(user=alice, key=key, channel="push", event="message", status=status, due_at=now)
    clock.shift(89 * DAY)
    assert retention()["notice deliveries"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["notice deliveries"] == "removed 2"
    assert list(Delivery.objects.values_list("key", flat=True)) == ["c"]


def test_line_event_ids_go_after_30_days_and_nonces_once_expired(alice, clock):
    WebhookEvent.objects.create(webhook_event_id="01OLD")
    now = timezone.now()
    LinkNonce.objects.create(nonce="n1", user=alice, created_at=now, expires_at=now + timedelta(minutes=10))
    assert retention()["expired LINE link nonces"] == "removed 0"
    clock.shift(timedelta(minutes=11))
    assert retention()["expired LINE link nonces"] == "removed 1"
    clock.shift(29 * DAY)
    assert retention()["LINE webhook events"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["LINE webhook events"] == "removed 1"
