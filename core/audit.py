"""Writing the audit log: one function every staff action calls inside its own transaction.

The readable form of a record for the staff pages stays with the staff app (moderation.audit).
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditRecord


def audit_reason(reason: str) -> str:
    """A staff action's reason for the audit log, stripped and cut to 1,000 characters; ValidationError when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason; it is written to the audit log."), code="reason_required")
    return reason[:1000]


def audit_record(
    *,
    actor: AbstractBaseUser,
    action: AuditRecord.Action,
    target: models.Model | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditRecord:
    """Append one record; call it in the same transaction as the action so both land or neither."""
    return AuditRecord.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        reason=reason,
        before=before,
        after=after,
    )


def audit_prune(*, before: datetime) -> int:
    """Delete the records written before `before`; returns how many.

    The one way audit records are removed, called only by the retention rules
    (moderation.retention): the guards on AuditQuerySet and AuditRecord.delete refuse every
    other deletion, so this goes around them on purpose with a plain queryset.
    """
    deleted, _counts = models.QuerySet(AuditRecord).filter(created_at__lt=before).delete()
    return deleted
