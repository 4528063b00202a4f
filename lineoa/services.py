"""Every write of the LINE Official Account: webhook events kept once, the account-link nonces,
linking and unlinking a resident's LINE user (notifications.models.LineLink)."""

import datetime
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import is_verified_resident
from lineoa import tasks
from lineoa.models import LinkNonce, WebhookEvent
from notifications.models import LineLink

logger = logging.getLogger(__name__)

NONCE_LIFETIME = datetime.timedelta(minutes=10)


def event_receive(event: dict) -> bool:
    """Keep one webhook event and handle it by a task after commit; False when its id was seen
    already (a redelivery or a duplicate) or it has none."""
    event_id = str(event.get("webhookEventId") or "")[:64]
    if not event_id:
        return False
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(webhook_event_id=event_id, kind=str(event.get("type", ""))[:32], payload=event)
    except IntegrityError:
        return False
    transaction.on_commit(lambda: tasks.handle_event.enqueue(event_id=row.pk))
    return True


def event_handled(row: WebhookEvent) -> None:
    """Mark the event handled and erase what it said (text, ids): nothing personal is kept."""
    row.payload = {}
    row.handled_at = timezone.now()
    row.save(update_fields=["payload", "handled_at"])


def nonce_create(*, user: User) -> str:
    """A single-use nonce for the resident who opened the link page."""
    now = timezone.now()
    nonce = secrets.token_urlsafe(32)
    LinkNonce.objects.create(nonce=nonce, user=user, created_at=now, expires_at=now + NONCE_LIFETIME)
    return nonce


def line_link(*, user: User, line_user_id: str, how: str) -> LineLink:
    """Link the resident's account to a LINE user: one LINE user to one account, so linking a LINE
    user linked elsewhere moves it, and an account linked to another LINE user follows the new one."""
    with transaction.atomic():
        LineLink.objects.filter(line_user_id=line_user_id).exclude(user=user).delete()
        link, _ = LineLink.objects.update_or_create(user=user, defaults={"line_user_id": line_user_id})
    logger.info("LINE link", extra={"user_id": user.pk, "how": how})
    return link


def link_with_nonce(*, line_user_id: str, nonce: str) -> User | None:
    """The accountLink event: spend the nonce (known, unused, not expired, its resident still
    verified) and link; None when refused."""
    with transaction.atomic():
        row = LinkNonce.objects.select_for_update().filter(nonce=nonce, used_at__isnull=True).select_related("user").first()
        if row is None or row.expires_at <= timezone.now():
            return None
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        if not is_verified_resident(row.user):
            return None
        line_link(user=row.user, line_user_id=line_user_id, how="account_link")
    return row.user


def line_unlink(*, user: User, how: str) -> bool:
    """Remove the resident's LINE link (from LINE, from the settings page, on unfollow)."""
    deleted, _ = LineLink.objects.filter(user=user).delete()
    if deleted:
        logger.info("LINE unlink", extra={"user_id": user.pk, "how": how})
    return bool(deleted)
