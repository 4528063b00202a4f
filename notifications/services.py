"""Sending a notice to a resident on the channels they chose (docs/NOTIFICATIONS.md).

A caller describes what happened as a `Notice` (in the recipient's language) and calls
`notice_send` inside its transaction. Email goes at once, through the caller's own email (the
richer text it always sent); push and LINE become `Delivery` rows, sent by a task after commit,
or held until the resident's quiet hours end. Each (resident, notice key, channel) is one row, so a
task that runs twice, or a caller that sends the same notice again, reaches nobody twice. A push
or LINE message that cannot be delivered ends in an email instead (once per notice).
"""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.mail import email_send_text
from notifications import line, push
from notifications.models import Channel, Delivery, LineLink, Preference, PushSubscription
from notifications.push import endpoint_allowed
from notifications.selectors import EMAIL_FLAGS, available_channels, chosen_channels, preference_for, quiet_until
from notifications.tasks import deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    event: str  # notifications.models.Event
    key: str  # one per occurrence: "<event>:<object id>[:<step>]", at most 100 characters
    title: str  # one short line, in the recipient's language
    body: str  # a sentence or two; names the listing and the other resident's display name at most
    path: str  # the page to open on the site, e.g. /messages/12/
    # LINE quick-reply buttons (notifications.line.quick_reply): {"label", "data"} or {"label", "uri"}
    actions: list[dict] = field(default_factory=list)
    # LINE messages to send instead of the title, body and link (LINE's JSON for message objects,
    # such as a carousel of listings); the actions' quick reply goes on the last one.
    line_messages: list[dict] = field(default_factory=list)


def notice_send(
    *, user: User, notice: Notice, email: Callable[[], None] | None = None, only: set[str] | None = None, now=None
) -> set[str]:
    """Notify `user` of `notice` on every channel they chose and can be reached on; returns the
    channels it went to or was held for. `email` sends the caller's email (None: this notice has
    none of its own, and the email channel gets the notice's text). `only` limits the channels, for
    a caller that tells on the others at another time (a new message: push after a minute, email
    after a quarter of an hour)."""
    if not user.is_active or user.deleted_at is not None:
        return set()
    now = now or timezone.now()
    preference = preference_for(user)
    channels = chosen_channels(user, notice.event, preference) & available_channels(user)
    if only is not None:
        channels &= only
    held = quiet_until(preference, now)
    used = set()
    for channel in sorted(channels):
        due = held if held and channel != Channel.EMAIL else now
        delivery = _delivery_claim(user=user, notice=notice, channel=channel, due=due)
        if delivery is None:
            continue  # already sent (or held) for this notice on this channel
        used.add(channel)
        if channel == Channel.EMAIL:
            (email or partial(_email_notice, user, asdict(notice)))()
            Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=now)
        else:
            transaction.on_commit(partial(_enqueue, delivery.pk, due), robust=True)
    return used


def _delivery_claim(*, user: User, notice: Notice, channel: str, due) -> Delivery | None:
    """The new delivery row for this notice and channel, or None when it exists already."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                user=user, key=notice.key[:100], channel=channel, event=notice.event, payload=asdict(notice), due_at=due
            )
    except IntegrityError:
        return None


def _enqueue(delivery_id: int, due) -> None:
    task = deliver
    if task.get_backend().supports_defer:
        task = task.using(run_after=due)
    task.enqueue(delivery_id=delivery_id)


def _email_notice(user: User, payload: dict) -> None:
    email_send_text(
        to=user.email,
        subject=payload["title"],
        body=f"{payload['body']}\n\n{settings.SITE_URL}{payload['path']}\n",
        kind=f"notifications/{payload['event']}",
    )


def delivery_send(*, delivery_id: int, attempt: int = 1, now=None) -> str:
    """Send one held push or LINE delivery when it is due; returns its status afterwards. A
    delivery that is not held any more (sent, failed) is left alone: a task run twice sends once."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("user").filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.HELD:
            return delivery.status if delivery else "missing"
        if delivery.due_at > now:
            return delivery.status  # quiet hours: the task queued for their end sends it
        user = delivery.user
        if not user.is_active or user.deleted_at is not None:
            delivery.status = Delivery.Status.SKIPPED
            delivery.save(update_fields=["status"])
            return delivery.status
        outcome = _channel_send(delivery, attempt)
        if outcome == "retry":
            return delivery.status
        delivery.status = Delivery.Status.SENT if outcome == "sent" else Delivery.Status.FAILED
        delivery.sent_at = now if outcome == "sent" else None
        delivery.save(update_fields=["status", "sent_at"])
        if outcome == "failed":
            _fall_back_to_email(delivery, now)
    return delivery.status


def _channel_send(delivery: Delivery, attempt: int) -> str:
    """"sent", "failed" (for good) or "retry" (queued again later)."""
    if delivery.channel == Channel.PUSH:
        result = push.push_send(user=delivery.user, payload=delivery.payload, attempt=attempt)
    else:
        link = LineLink.objects.filter(user=delivery.user).first()
        result = push.Result.FAILED if link is None else line.line_push(
            line_user_id=link.line_user_id, payload=delivery.payload, retry_key=f"delivery:{delivery.pk}", attempt=attempt
        )
    if result is push.Result.RETRY:
        retry = deliver
        delay = push.backoff(attempt)
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        logger.warning("Delivery failed for now; trying again", extra={"channel": delivery.channel, "attempt": attempt, "retry_in_s": int(delay.total_seconds())})
        transaction.on_commit(partial(retry.enqueue, delivery_id=delivery.pk, attempt=attempt + 1), robust=True)
        return "retry"
    return "sent" if result is push.Result.SENT else "failed"


def _fall_back_to_email(delivery: Delivery, now) -> None:
    """Email the notice once, unless email already carried it (or the resident has none)."""
    user = delivery.user
    if not user.email:
        return
    notice = Notice(**delivery.payload)
    claimed = _delivery_claim(user=user, notice=notice, channel=Channel.EMAIL, due=now)
    if claimed is None:
        return
    _email_notice(user, delivery.payload)  # the notice was written in the resident's language
    Delivery.objects.filter(pk=claimed.pk).update(status=Delivery.Status.SENT, sent_at=now)
    logger.info("Notice sent by email instead", extra={"channel": delivery.channel, "event": delivery.event})


def deliveries_due_send(*, now=None) -> int:
    """Send the held deliveries whose time has come (quiet hours over); for task backends that
    cannot defer a task, and as a catch-up after the worker was down. Returns how many were sent."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.HELD, due_at__lte=now).values_list("pk", flat=True)[:1000]
    return sum(delivery_send(delivery_id=pk, now=now) == Delivery.Status.SENT for pk in list(due))


# --- Settings and devices ------------------------------------------------------------------------

PUSH_DEVICES_MAX = 10


def preference_save(*, user: User, preference: Preference, chosen: dict[str, list[str]]) -> Preference:
    """Store the resident's settings; the email switches that live on the account stay there."""
    with transaction.atomic():
        for event, flag in EMAIL_FLAGS.items():
            setattr(user, flag, Channel.EMAIL in chosen[event])
        user.save(update_fields=list(EMAIL_FLAGS.values()))
        preference.user = user
        preference.channels = chosen
        preference.save()
    return preference


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, device: str = "") -> PushSubscription:
    """Record (or take over) a browser's push subscription for the resident."""
    if not endpoint_allowed(endpoint):
        raise ValidationError(_("This browser's push service is not supported."), code="push_host")
    with transaction.atomic():
        # The same browser signing in as someone else hands its subscription over.
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": device[:100]}
        )
        if PushSubscription.objects.filter(user=user).count() > PUSH_DEVICES_MAX:
            raise ValidationError(
                _("Notifications are on for %(count)s devices already. Turn them off on one first.") % {"count": PUSH_DEVICES_MAX},
                code="push_devices",
            )
    return subscription


def push_unsubscribe(*, user: User, pk: int | None = None, endpoint: str = "") -> bool:
    """Turn push off for one of the resident's devices (by id from the settings page, or by endpoint
    from the browser itself); True when there was one."""
    subscriptions = PushSubscription.objects.filter(user=user)
    subscriptions = subscriptions.filter(pk=pk) if pk is not None else subscriptions.filter(endpoint=endpoint)
    return subscriptions.delete()[0] > 0
