"""Reads for the staff console: queue sizes and the audit log."""

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from moderation.models import AuditRecord


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
