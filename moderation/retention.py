"""The retention rules: how long each kind of data is kept (docs/RETENTION.md).

One function per kind; each removes what is older than its period (settings.RETENTION_DAYS, in
days, 0 keeps that kind forever) and returns how many rows it removed, or would remove with
`dry_run`. They live in the staff app because it may import every app; `manage.py
apply_retention` runs them all. Running them twice removes nothing the second time.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.audit import audit_prune
from core.models import AuditRecord, FailedNotice
from core.reports import ReportStatus
from lineoa.models import LinkNonce, WebhookEvent as LineWebhookEvent
from listings.models import Listing, ListingStatus
from listings.services import listing_photos_remove
from messaging.models import Message
from mirror.models import WebhookDelivery, WebhookEvent
from notifications.models import Delivery

CLOSED_STATUSES = [ListingStatus.HANDED_OVER, ListingStatus.WITHDRAWN, ListingStatus.EXPIRED, ListingStatus.REJECTED]


def task_results_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Finished background-task results (django-tasks-db rows) that finished before `cutoff`."""
    results = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    return results.count() if dry_run else results.delete()[1].get(DBTaskResult._meta.label, 0)


def webhook_deliveries_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Webhook deliveries created before `cutoff` that ended (delivered or given up), with their attempt log;
    then the events left without a delivery, except each listing's latest (it carries the sequence on)."""
    ended = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.SUCCEEDED, WebhookDelivery.Status.GAVE_UP], created_at__lt=cutoff
    )
    if dry_run:
        return ended.count()
    removed = ended.delete()[1].get(WebhookDelivery._meta.label, 0)
    latest = WebhookEvent.objects.filter(listing_id=OuterRef("listing_id")).order_by("-sequence").values("pk")[:1]
    WebhookEvent.objects.filter(created_at__lt=cutoff, deliveries__isnull=True).exclude(pk=Subquery(latest)).delete()
    return removed


def sessions_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Expired sessions (what `clearsessions` removes); their period is SESSION_COOKIE_AGE, not `cutoff`."""
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    return expired.count() if dry_run else expired.delete()[0]


def failed_notices_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Records of emails given up (the staff console's list) written before `cutoff`."""
    old = FailedNotice.objects.filter(created_at__lt=cutoff)
    return old.count() if dry_run else old.delete()[0]


def closed_listing_photos_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Photos (rows and files) of listings closed (handed over, withdrawn, expired, rejected) before `cutoff`."""
    listings = Listing.objects.filter(status__in=CLOSED_STATUSES, status_changed_at__lt=cutoff, photo_count__gt=0)
    if dry_run:
        return sum(listing.photos.count() for listing in listings)
    return sum(listing_photos_remove(listing=listing) for listing in listings)


def closed_conversation_messages_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Messages about listings closed before `cutoff`; a message with an open report stays until
    staff handle the report. The conversation row stays (reservations and thanks hang on it)."""
    messages = Message.objects.filter(
        conversation__listing__status__in=CLOSED_STATUSES, conversation__listing__status_changed_at__lt=cutoff
    ).exclude(Q(reports__status=ReportStatus.OPEN))
    if dry_run:
        return messages.count()
    return messages.delete()[1].get(Message._meta.label, 0)


def audit_log_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Audit records written before `cutoff` (through core.audit.audit_prune, the one way past the guard)."""
    return AuditRecord.objects.filter(created_at__lt=cutoff).count() if dry_run else audit_prune(before=cutoff)


def notice_deliveries_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """Records of notices sent (or given up) before `cutoff`; held ones stay until they go. A
    notice sent again after its record is gone would go again: no event is that late."""
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(status=Delivery.Status.HELD)
    return old.count() if dry_run else old.delete()[0]


def line_webhook_events_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """The ids of LINE webhook events received before `cutoff` (kept to ignore redeliveries; LINE
    redelivers within hours, not weeks)."""
    old = LineWebhookEvent.objects.filter(received_at__lt=cutoff)
    return old.count() if dry_run else old.delete()[0]


def link_nonces_prune(*, cutoff: datetime, dry_run: bool) -> int:
    """LINE account-link nonces past their ten minutes (used or not); their period is their own."""
    expired = LinkNonce.objects.filter(expires_at__lt=timezone.now())
    return expired.count() if dry_run else expired.delete()[0]


# kind (a key of settings.RETENTION_DAYS, or None: no setting of its own) -> rule, in the order they run
RULES: list[tuple[str, str | None, Callable[..., int]]] = [
    ("task results", "task_results", task_results_prune),
    ("webhook deliveries", "webhook_deliveries", webhook_deliveries_prune),
    ("expired sessions", None, sessions_prune),
    ("failed email records", "failed_notices", failed_notices_prune),
    ("photos of closed listings", "closed_listing_photos", closed_listing_photos_prune),
    ("messages of closed listings", "closed_conversation_messages", closed_conversation_messages_prune),
    ("audit records", "audit_log", audit_log_prune),
    ("notice deliveries", "notice_deliveries", notice_deliveries_prune),
    ("LINE webhook events", "line_webhook_events", line_webhook_events_prune),
    ("expired LINE link nonces", None, link_nonces_prune),
]


def retention_apply(*, dry_run: bool = False) -> dict[str, int | None]:
    """Apply every rule now; returns, per kind, how many rows were removed (or would be), None when kept forever."""
    now = timezone.now()
    counts: dict[str, int | None] = {}
    for label, key, rule in RULES:
        days = settings.RETENTION_DAYS[key] if key else None
        if days == 0:
            counts[label] = None
            continue
        with transaction.atomic():
            counts[label] = rule(cutoff=now - timedelta(days=days or 0), dry_run=dry_run)
    return counts
