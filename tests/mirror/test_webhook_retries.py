"""Webhook deliveries that fail: logged, retried with backoff by the command, given up after the
retry window, and sent again on request (redelivery)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from mirror import webhooks
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import make_listing
from tests.mirror.webhook_receiver import make_due
from tests.stand_in import refusing_url

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def test_a_failed_delivery_is_logged_and_succeeds_when_retried(alice, endpoint, receiver, deliver):
    receiver.script = [500]
    with deliver():
        make_listing(alice)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 1
    assert timedelta(seconds=50) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    [failure] = delivery.attempt_log.all()
    assert failure.status_code == 500
    assert failure.response_ms is not None

    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED  # not due yet: nothing sent
    assert len(receiver.received) == 1

    make_due(delivery)
    with deliver():
        call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
    first, second = receiver.received
    assert first.body == second.body  # the same event, signed afresh
    assert first.headers["webhook-id"] == second.headers["webhook-id"]


def test_the_wait_between_retries_doubles_up_to_six_hours():
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert webhooks.backoff(20) == timedelta(hours=6)


def _the_unanswered_attempt() -> WebhookAttempt:
    """The one delivery failed, and its one attempt got no HTTP answer; returns that attempt."""
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None
    return attempt


def test_a_receiver_slower_than_the_timeout_counts_as_a_failure(settings, alice, endpoint, receiver, deliver):
    settings.MIRROR_WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.script = [1.0]
    with deliver():
        make_listing(alice)

    attempt = _the_unanswered_attempt()
    assert attempt.category == WebhookAttempt.Category.TIMEOUT
    assert 150 <= attempt.response_ms < 1000


def test_an_unreachable_receiver_counts_as_a_failure(settings, alice, deliver):
    url = refusing_url()
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = True
    settings.MIRROR_WEBHOOK_PORTS = [int(url.rsplit(":", 1)[1])]
    webhooks.webhook_endpoint_create(url=url + "/")
    with deliver():
        make_listing(alice)

    attempt = _the_unanswered_attempt()
    assert attempt.category == WebhookAttempt.Category.REFUSED


def test_redirects_are_not_followed(alice, endpoint, receiver, deliver):
    receiver.script = [302]
    with deliver():
        make_listing(alice)

    assert [request.path for request in receiver.received] == ["/hooks/mottainai"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.category) == (302, WebhookAttempt.Category.REDIRECT)


def test_it_gives_up_when_the_next_retry_would_fall_outside_the_retry_window(settings, alice, endpoint, receiver, deliver):
    receiver.script = [500, 500]
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED

    # Almost a day later: the next wait would end past the 24 hours.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.MIRROR_WEBHOOK_RETRY_HOURS) + timedelta(seconds=30)
    )
    make_due(delivery)
    with deliver():
        call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.GAVE_UP
    assert delivery.next_attempt_at is None
    assert delivery.attempts == 2
    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))
    assert len(receiver.received) == 2  # given up: never sent again


def test_attempting_a_delivery_twice_sends_it_once(alice, endpoint, receiver, deliver):
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()

    assert webhooks.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1
    assert WebhookAttempt.objects.count() == 1


def test_a_pending_delivery_the_queue_missed_is_sent_by_the_command(alice, endpoint, receiver):
    make_listing(alice)  # outside deliver(): the on-commit enqueue never runs, like a queue outage
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED
    assert len(receiver.received) == 1


def test_a_delivery_to_an_endpoint_turned_off_meanwhile_is_not_sent(alice, endpoint, receiver):
    make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    webhooks.webhook_delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Status.GAVE_UP
    assert receiver.received == []


def test_no_delivery_happens_inside_the_transaction_that_changed_the_listing(alice, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_listing(alice)

    assert receiver.received == []  # nothing was sent inside the transaction
    for callback in callbacks:  # the delivery (and other apps' work) waits for the commit
        callback()
    assert len(receiver.received) == 1


# --- Redelivery -------------------------------------------------------------------------------


def test_redelivering_replaces_a_delivery_that_waits_for_its_retry(alice, endpoint, receiver, deliver):
    receiver.script = [500]
    with deliver():
        make_listing(alice)
    failed = WebhookDelivery.objects.get()

    with deliver():
        webhooks.webhook_delivery_redeliver(delivery=failed)

    failed.refresh_from_db()
    assert failed.status == Status.GAVE_UP
    assert WebhookDelivery.objects.exclude(pk=failed.pk).get().status == Status.SUCCEEDED


def test_redelivering_to_an_endpoint_that_is_off_is_refused(alice, endpoint, deliver):
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    with pytest.raises(ValidationError):
        webhooks.webhook_delivery_redeliver(delivery=delivery)
