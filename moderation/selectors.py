"""Reads for the staff console: the listing queue and the audit log."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AuditRecord, FailedNotice
from listings.models import Listing, Photo


def audit_log(*, action: str = "", actor_id: int | None = None, target: str = "", since=None, until=None) -> QuerySet:
    """Audit records, newest first, filtered by action, staff member, object ("type" or "type:id") and dates."""
    qs = AuditRecord.objects.select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if target:
        target_type, _sep, target_id = target.partition(":")
        qs = qs.filter(target_type=target_type.strip())
        if target_id.strip():
            qs = qs.filter(target_id=target_id.strip())
    if since:
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        qs = qs.filter(created_at__lt=timezone.make_aware(datetime.combine(until, time.max)))
    return qs.order_by("-created_at", "-id")


def pending_listings(*, limit: int = 50) -> list[Listing]:
    """Listings waiting for review, oldest first, with photos and the poster's history attached
    (`owner_history`: listings in all, handed over, rejected). A fixed number of queries."""
    listings = list(
        Listing.objects.filter(status=Listing.Status.PENDING)
        .select_related("owner", "category", "town")
        .prefetch_related("photos")
        .order_by("status_changed_at", "id")[:limit]
    )
    owner_ids = {listing.owner_id for listing in listings}
    history = {
        row["owner_id"]: row
        for row in Listing.objects.filter(owner_id__in=owner_ids)
        .values("owner_id")
        .annotate(
            total=Count("id"),
            handed_over=Count("id", filter=Q(status=Listing.Status.HANDED_OVER)),
            rejected=Count("id", filter=Q(status=Listing.Status.REJECTED)),
        )
    }
    for listing in listings:
        listing.owner_history = history.get(listing.owner_id, {"total": 0, "handed_over": 0, "rejected": 0})
    return listings


def pending_listings_count() -> int:
    return Listing.objects.filter(status=Listing.Status.PENDING).count()


def listings_for_print(*, kind: str = Listing.Kind.OFFER, category=None, since=None, until=None) -> QuerySet:
    """Published listings of one kind for the recycle-house notice board, newest first, with
    their cover photo (the view pages through them: one page is one print run)."""
    qs = Listing.objects.filter(status=Listing.Status.PUBLISHED, kind=kind).select_related("town", "category").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.filter(position=0), to_attr="covers")
    )
    if category is not None:
        qs = qs.filter(category=category)
    if since:
        qs = qs.filter(published_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        qs = qs.filter(published_at__lte=timezone.make_aware(datetime.combine(until, time.max)))
    return qs.order_by("-published_at", "-id")


FAILED_NOTICE_DAYS = 30
# What each email template tells, for the failed-email list (an unknown one shows its template name).
NOTICE_KINDS = {
    "moderation/email/listing_approved": _("Listing approved"),
    "moderation/email/listing_rejected": _("Listing rejected"),
    "moderation/email/listing_hidden": _("Listing hidden"),
    "moderation/email/account_warning": _("Warning"),
    "moderation/email/account_suspended": _("Suspension"),
    "moderation/email/account_restored": _("Suspension lifted"),
    "messaging/email/chosen": _("Reserved for the requester"),
    "messaging/email/pickup": _("Pickup reminder"),
    "messaging/email/unread": _("Unread message"),
    "listings/email/expired": _("Listings expired"),
    "alerts/notice": _("Saved-search alert"),
    "account/email/email_confirmation_signup": _("Email address confirmation (sign-up)"),
    "account/email/email_confirmation": _("Email address confirmation"),
    "account/email/password_reset_key": _("Password reset"),
}


def failed_notices(*, limit: int = 10) -> tuple[int, list[FailedNotice]]:
    """How many emails were given up in the last FAILED_NOTICE_DAYS days, and the newest `limit`
    of them, each with `kind_label`."""
    recent = FailedNotice.objects.filter(created_at__gte=timezone.now() - timedelta(days=FAILED_NOTICE_DAYS))
    rows = list(recent[:limit])
    for row in rows:
        row.kind_label = NOTICE_KINDS.get(row.kind, row.kind)
    return recent.count(), rows
