"""Segment messages (セグメント配信): the ward's text on LINE to the linked residents who opted in
to its news, narrowed by town and interest (docs/STAFF.md).

Staff write through moderation.line_segments, which audits; here are the audience, the message
with its batches of at most 500 LINE user ids (LINE's multicast limit), and the sending of a
batch by a task. Every batch carries its own X-Line-Retry-Key on every attempt, so a retried call
that LINE had accepted already is answered 409 and counts as sent, and a batch that is done is
never sent again: a task run twice sends once.
"""

import logging
from functools import partial
from itertools import batched

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from linebot.v3.messaging import MulticastRequest, TextMessage
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from accounts.models import User
from notifications.line import TEXT_LIMIT, messaging_api
from notifications.models import SegmentBatch, SegmentMessage
from notifications.push import Result, backoff
from notifications.selectors import line_configured
from notifications.tasks import segment_batch_deliver

logger = logging.getLogger(__name__)

MULTICAST_MAX = 500  # user ids in one multicast call


def line_text_length(text: str) -> int:
    """The length LINE counts: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def segment_audience(*, town_ids: list[int], category_ids: list[int]) -> list[str]:
    """The LINE user ids of the active, verified, not suspended residents with a LINE link who
    opted in to the ward's news, living in one of the towns (all when none) and interested in one
    of the categories (anyone when none), in a stable order."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    residents = User.objects.filter(
        Exists(verified), is_active=True, deleted_at=None, suspended_at=None, town__isnull=False,
        line_link__isnull=False, notice_preference__line_news=True,
    )
    if town_ids:
        residents = residents.filter(town_id__in=town_ids)
    rows = residents.order_by("pk").values_list("line_link__line_user_id", "notice_preference__line_categories")
    wanted = set(category_ids)
    return [line_user_id for line_user_id, interests in rows if not wanted or wanted.intersection(interests or [])]


def segment_message_create(*, actor: User, text: str, town_ids: list[int], category_ids: list[int]) -> SegmentMessage:
    """The message and its batches, sent by tasks after commit; ValidationError when LINE is not
    set up, the text does not fit one LINE message or nobody matches. The caller audits it."""
    if not line_configured():
        raise ValidationError(_("LINE is not set up on this site."), code="line_off")
    if not text.strip():
        raise ValidationError({"text": _("Write the message.")}, code="required")
    if line_text_length(text) > TEXT_LIMIT:
        raise ValidationError({"text": _("A LINE message holds at most %(limit)s characters.") % {"limit": TEXT_LIMIT}}, code="too_long")
    audience = segment_audience(town_ids=town_ids, category_ids=category_ids)
    if not audience:
        raise ValidationError(_("No resident matches this audience; nothing was sent."), code="nobody")
    message = SegmentMessage.objects.create(
        text=text, town_ids=sorted(town_ids), category_ids=sorted(category_ids), recipients=len(audience), created_by=actor
    )
    for number, ids in enumerate(batched(audience, MULTICAST_MAX), start=1):
        batch = SegmentBatch.objects.create(message=message, number=number, size=len(ids), line_user_ids=list(ids))
        transaction.on_commit(partial(segment_batch_deliver.enqueue, batch_id=batch.pk), robust=True)
    return message


def _multicast(batch: SegmentBatch, text: str) -> Result:
    """One multicast call: SENT (409 too: LINE accepted this retry key before), RETRY (429, 5xx,
    network) or FAILED (refused)."""
    request = MulticastRequest(to=batch.line_user_ids, messages=[TextMessage(text=text)])
    try:
        with messaging_api() as api:
            api.multicast(request, x_line_retry_key=str(batch.retry_key))
    except ApiException as error:
        if error.status == 409:
            return Result.SENT
        if error.status == 429 or (error.status or 0) >= 500:
            logger.warning("LINE busy or failing", extra={"status": error.status})
            return Result.RETRY
        logger.warning("LINE refused a multicast", extra={"status": error.status})
        return Result.FAILED
    except (HTTPError, OSError) as error:
        logger.warning("LINE unreachable", extra={"error": type(error).__name__})
        return Result.RETRY
    return Result.SENT


def segment_batch_send(*, batch_id: int, attempt: int = 1) -> str:
    """Send one batch unless it is done already; returns its status afterwards. A busy or failing
    LINE is tried again later (1, 4, 16, 64 minutes) with the same retry key, up to PUSH_ATTEMPTS."""
    with transaction.atomic():
        batch = SegmentBatch.objects.select_for_update().select_related("message").filter(pk=batch_id).first()
        if batch is None or batch.status != SegmentBatch.Status.PENDING:
            return batch.status if batch else "missing"
        batch.attempts += 1
        result = _multicast(batch, batch.message.text)
        if result is Result.RETRY and attempt < settings.NOTICES["PUSH_ATTEMPTS"]:
            batch.save(update_fields=["attempts"])
            retry, delay = segment_batch_deliver, backoff(attempt)
            if retry.get_backend().supports_defer:
                retry = retry.using(run_after=timezone.now() + delay)
            transaction.on_commit(partial(retry.enqueue, batch_id=batch.pk, attempt=attempt + 1), robust=True)
            return batch.status
        batch.status = SegmentBatch.Status.SENT if result is Result.SENT else SegmentBatch.Status.FAILED
        batch.sent_at = timezone.now() if result is Result.SENT else None
        batch.line_user_ids = []  # not needed any more: the ids are not kept longer than the sending
        batch.save(update_fields=["status", "sent_at", "attempts", "line_user_ids"])
        _message_status_update(batch.message)
    return batch.status


def _message_status_update(message: SegmentMessage) -> None:
    """SENT when every batch went, FAILED when none did, PARTLY otherwise, once none is pending."""
    statuses = set(message.batches.values_list("status", flat=True))
    if SegmentBatch.Status.PENDING in statuses:
        return
    if statuses == {SegmentBatch.Status.SENT}:
        message.status = SegmentMessage.Status.SENT
    elif statuses == {SegmentBatch.Status.FAILED}:
        message.status = SegmentMessage.Status.FAILED
    else:
        message.status = SegmentMessage.Status.PARTLY
    message.finished_at = timezone.now()
    message.save(update_fields=["status", "finished_at"])
