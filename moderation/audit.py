"""Writing the audit log: one function every staff action calls inside its own transaction."""

from django.db import models

from accounts.models import User
from moderation.models import AuditRecord


def audit_record(
    *,
    actor: User,
    action: str,
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
