"""Every write about webhooks: endpoints, recording events, delivering them, retrying, redelivering.

An event is recorded inside the transaction that changed the listing, with one delivery per
interested endpoint; the HTTP request happens later in a background task (enqueued on commit),
never inside the request that caused the change. See docs/WEBHOOKS.md for the receiving side.
"""

import json
import logging
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from standardwebhooks.webhooks import Webhook

from core.audit import audit_record
from core.models import AuditRecord
from listings.models import Listing
from mirror.models import EVENT_TYPES, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent, new_secret
from mirror.serializers import is_public, iso, listing_data
from mirror.tasks import deliver_webhook
from mirror.webhook_transport import webhook_post, webhook_url_check

logger = logging.getLogger(__name__)

EVENT_TYPE_NAMES = frozenset(name for name, _label in EVENT_TYPES)
USER_AGENT = "Mottainai-Webhooks/1"

# Retry n (after the n-th failed attempt) waits BACKOFF_BASE × 2^(n-1), at most BACKOFF_CAP, until
# the retry window (MIRROR_WEBHOOK_RETRY_HOURS after the delivery was created) is used up.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)

Status = WebhookDelivery.Status
OPEN_STATUSES = (Status.PENDING, Status.FAILED)


# --- Endpoints ----------------------------------------------------------------------------------


def _clean_events(events: list[str]) -> list[str]:
    unknown = set(events) - EVENT_TYPE_NAMES
    if unknown:
        raise ValidationError({"events": _("Unknown event types: %(types)s") % {"types": ", ".join(sorted(unknown))}})
    # Stored in the canonical order, so that the same choice always looks the same.
    return [name for name, _label in EVENT_TYPES if name in events]


def _endpoint_state(endpoint: WebhookEndpoint) -> dict:
    return {"url": endpoint.url, "description": endpoint.description, "events": list(endpoint.events), "is_active": endpoint.is_active}


def _audit(actor, action: AuditRecord.Action, endpoint: WebhookEndpoint, before: dict | None = None, after: dict | None = None) -> None:
    """Staff changes to the ward's endpoints are settings changes: audited (the secret never is)."""
    if actor is not None:
        audit_record(actor=actor, action=action, target=endpoint, before=before, after=after)


def webhook_endpoint_create(
    *, url: str, description: str = "", events: list[str] = (), is_active: bool = True, actor=None
) -> WebhookEndpoint:
    """Add an endpoint with a fresh signing secret; refuses URLs that are not http(s), carry a
    user name, use a port not allowed or lead into a private network (mirror.webhook_transport)."""
    endpoint = WebhookEndpoint(url=url.strip(), description=description.strip(), events=_clean_events(list(events)), is_active=is_active)
    endpoint.full_clean()
    webhook_url_check(endpoint.url)
    with transaction.atomic():
        endpoint.save()
        _audit(actor, AuditRecord.Action.WEBHOOK_ADD, endpoint, after=_endpoint_state(endpoint))
    return endpoint


def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, description: str, events: list[str], is_active: bool, actor=None
) -> WebhookEndpoint:
    """Change an endpoint's address, description, event filter or on/off switch (not its secret);
    the address is checked again, as when it was added."""
    before = _endpoint_state(WebhookEndpoint.objects.get(pk=endpoint.pk))
    endpoint.url = url.strip()
    endpoint.description = description.strip()
    endpoint.events = _clean_events(list(events))
    endpoint.is_active = is_active
    endpoint.full_clean()
    webhook_url_check(endpoint.url)
    with transaction.atomic():
        endpoint.save()
        _audit(actor, AuditRecord.Action.WEBHOOK_CHANGE, endpoint, before=before, after=_endpoint_state(endpoint))
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor=None) -> WebhookEndpoint:
    """Replace the signing secret; every delivery from now on (retries included) uses the new one."""
    endpoint.secret = new_secret()
    with transaction.atomic():
        endpoint.save(update_fields=["secret"])
        _audit(actor, AuditRecord.Action.WEBHOOK_SECRET, endpoint)
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor=None) -> None:
    """Remove an endpoint with its delivery log; queued deliveries to it then find nothing to do."""
    with transaction.atomic():
        _audit(actor, AuditRecord.Action.WEBHOOK_DELETE, endpoint, before=_endpoint_state(endpoint))
        endpoint.delete()


# --- Events -------------------------------------------------------------------------------------


# Events that take a listing out of the public view. Their payload names the listing by id only,
# even if the caller records the event before the status changes (moderation may hide a listing
# without changing its status): the ward removes it, and nothing no longer public goes out.
LEAVING_TYPES = frozenset({"listing.handed_over", "listing.withdrawn", "listing.expired", "listing.rejected", "listing.hidden"})


def _payload(event_id, type: str, created_at: datetime, sequence: int, listing: Listing) -> dict:
    public = is_public(listing) and type not in LEAVING_TYPES
    return {
        "id": str(event_id),
        "type": type,
        "created_at": iso(created_at),
        "sequence": sequence,
        "listing": listing_data(listing) if public else {"id": listing.pk},
    }


def webhook_event_record(*, listing: Listing, type: str) -> WebhookEvent | None:
    """Record that `type` happened to `listing` and queue a delivery to every active endpoint that
    wants it; None (nothing recorded) when no endpoint does.

    Call it inside the transaction that changed the listing: it locks the listing row (a no-op
    when the caller already holds the lock) so that a listing's sequence numbers go up by one in
    the order of its changes, and deliveries are enqueued only once that transaction commits.
    """
    if type not in EVENT_TYPE_NAMES:
        raise ValueError(f"Unknown webhook event type {type!r}")
    with transaction.atomic():
        endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(is_active=True) if endpoint.wants(type)]
        if not endpoints:
            return None
        locked = (
            Listing.objects.select_for_update(of=("self",))
            .select_related("category", "town")
            .prefetch_related("photos")
            .get(pk=listing.pk)
        )
        last = WebhookEvent.objects.filter(listing_id=locked.pk).aggregate(last=Max("sequence"))["last"] or 0
        event = WebhookEvent(type=type, listing_id=locked.pk, sequence=last + 1)
        event.payload = _payload(event.id, type, event.created_at, event.sequence, locked)
        event.save()
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, event=event) for endpoint in endpoints]
        )
        for delivery in deliveries:
            _enqueue_on_commit(delivery.pk)
    return event


# --- Delivery -----------------------------------------------------------------------------------


def webhook_body(payload: dict) -> bytes:
    """The exact bytes sent: compact JSON in UTF-8, Japanese text as is (not \\u escapes)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def webhook_headers(*, delivery: WebhookDelivery, body: bytes, sent_at: datetime) -> dict[str, str]:
    """The request headers, signed by the Standard Webhooks scheme with the endpoint's secret:
    webhook-id is the event's id (the same on every retry), webhook-timestamp the sending time."""
    sent_at = sent_at.astimezone(UTC)  # the library reads the wall time as UTC
    message_id = str(delivery.event_id)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(delivery.endpoint.secret).sign(message_id, sent_at, body.decode()),
        "Mottainai-Event-Type": delivery.event.type,
    }


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4... minutes, at most 6 hours."""
    return min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_CAP)


def _enqueue_on_commit(delivery_id: int, *, run_after: datetime | None = None) -> None:
    def enqueue() -> None:
        task = deliver_webhook
        if run_after is not None:
            if not task.get_backend().supports_defer:
                # Nothing would wait (the immediate backend retries at once, in a loop): leave the
                # retry to `manage.py mirror_retry_webhooks`, which finds it by next_attempt_at.
                return
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Lock the delivery and mark it as being attempted, or None when it needs no attempt now.

    The HTTP request happens after this short transaction, not inside it: a slow receiver must not
    hold a row lock for ten seconds. The lease (next_attempt_at pushed past the timeout) keeps a
    second call (a duplicate task, the cron command) away meanwhile; should the worker die, the
    delivery falls due again once the lease ends.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in OPEN_STATUSES:
            return None  # endpoint deleted, already delivered, or given up
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None  # not due yet, or another worker holds the lease
        if not delivery.endpoint.is_active:
            WebhookAttempt.objects.create(delivery=delivery, started_at=now, category=WebhookAttempt.Category.INACTIVE)
            delivery.status = Status.GAVE_UP
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return None
        delivery.next_attempt_at = now + timedelta(seconds=settings.MIRROR_WEBHOOK_TIMEOUT_SECONDS + 60)
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send once; (status code or None, failure category, "" when the receiver answered 2xx)."""
    body = webhook_body(delivery.event.payload)
    headers = webhook_headers(delivery=delivery, body=body, sent_at=timezone.now())
    return webhook_post(delivery.endpoint.url, body=body, headers=headers, timeout=settings.MIRROR_WEBHOOK_TIMEOUT_SECONDS)


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send a due delivery once, log the attempt, and then mark it delivered, schedule the next
    try, or give up when the next try would fall outside the retry window.

    Safe to call twice or concurrently: a delivery that is delivered, given up, not yet due or
    being attempted elsewhere is left alone (None is returned).
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    started_at = timezone.now()
    clock = time.monotonic()
    status_code, category = _post(delivery)
    response_ms = round((time.monotonic() - clock) * 1000)
    succeeded = not category
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).filter(pk=delivery_id).first()
        if delivery is None:
            return None  # the endpoint was deleted meanwhile
        WebhookAttempt.objects.create(
            delivery=delivery, started_at=started_at, status_code=status_code, response_ms=response_ms, category=category
        )
        delivery.attempts += 1
        now = timezone.now()
        if succeeded:
            delivery.status = Status.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.status not in OPEN_STATUSES:
            pass  # replaced by a redelivery meanwhile: that one carries on, this one stays given up
        else:
            next_attempt_at = now + backoff(delivery.attempts)
            if next_attempt_at > delivery.created_at + timedelta(hours=settings.MIRROR_WEBHOOK_RETRY_HOURS):
                delivery.status = Status.GAVE_UP
                delivery.next_attempt_at = None
                # The category and the endpoint's id only: no address, no error text in the logs.
                logger.warning(
                    "Webhook delivery given up",
                    extra={
                        "delivery_id": delivery.pk, "endpoint_id": delivery.endpoint_id,
                        "attempts": delivery.attempts, "category": category,
                    },
                )
            else:
                delivery.status = Status.FAILED
                delivery.next_attempt_at = next_attempt_at
                _enqueue_on_commit(delivery.pk, run_after=next_attempt_at)
        delivery.save(update_fields=["status", "attempts", "delivered_at", "next_attempt_at"])
    return delivery


def webhook_deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Attempt every delivery that is due (pending or failed, next attempt time passed); returns
    how many were attempted. The safety net behind the task queue (run it from cron)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)
    # A pending delivery whose task never ran (e.g. the queue was down) has no next_attempt_at.
    stale = WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__isnull=True, created_at__lte=now - timedelta(minutes=1)
    )
    ids = sorted(set(due.values_list("pk", flat=True)) | set(stale.values_list("pk", flat=True)))
    return sum(1 for pk in ids if webhook_delivery_attempt(delivery_id=pk) is not None)


def webhook_delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event to the same endpoint again, as a new delivery with its own retry cycle.

    A delivery of this event to this endpoint that is waiting for a retry is replaced (given up)
    by the new one. Refused while the endpoint is turned off, or while a delivery of the event is
    still waiting for its first attempt (so that a double click does not send it twice).
    """
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            raise ValidationError(_("This endpoint is turned off. Turn it on first."), code="inactive")
        same = WebhookDelivery.objects.select_for_update().filter(endpoint=endpoint, event_id=delivery.event_id)
        if same.filter(status=Status.PENDING).exists():
            raise ValidationError(_("This event is already on its way to this endpoint."), code="in_progress")
        same.filter(status=Status.FAILED).update(status=Status.GAVE_UP, next_attempt_at=None)
        fresh = WebhookDelivery.objects.create(endpoint=endpoint, event_id=delivery.event_id)
        _enqueue_on_commit(fresh.pk)
    return fresh
