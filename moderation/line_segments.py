"""Staff segment messages on LINE (docs/STAFF.md): the audience in words, sending with its audit
row, and the list of past messages. The audience and the batches are notifications.segments'."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Town, User
from accounts.selectors import check_staff_member
from consultations.models import Consultation
from consultations.services import consultation_announced
from core.audit import audit_record
from core.models import AuditRecord
from listings.models import Category
from notifications.models import SegmentBatch, SegmentMessage
from notifications.segments import segment_message_create


def audience_names(*, town_ids: list[int], category_ids: list[int]) -> dict[str, list[str]]:
    """The towns and interests of an audience by name (empty: not narrowed), for the page and the audit log."""
    return {
        "towns": [town.name for town in Town.objects.filter(pk__in=town_ids)],
        "categories": [category.name for category in Category.objects.filter(pk__in=category_ids)],
    }


def line_segment_send(*, actor: User, text: str, towns: list[Town], categories: list[Category]) -> SegmentMessage:
    """Send `text` to the audience; the audit row names the audience and counts the recipients,
    never who they are. ValidationError (nothing saved) as notifications.segments says."""
    check_staff_member(actor)
    town_ids, category_ids = [town.pk for town in towns], [category.pk for category in categories]
    with transaction.atomic():
        message = segment_message_create(actor=actor, text=text, town_ids=town_ids, category_ids=category_ids)
        audit_record(
            actor=actor, action=AuditRecord.Action.LINE_SEGMENT_SEND, target=message,
            after={**audience_names(town_ids=town_ids, category_ids=category_ids), "recipients": message.recipients, "text": text[:200]},
        )
    return message


def segment_messages_recent(limit: int = 50) -> list[SegmentMessage]:
    """The newest messages, each with `delivered` (recipients of the batches sent) and its audience by name."""
    messages = list(
        SegmentMessage.objects.select_related("created_by")
        .annotate(delivered=Sum("batches__size", filter=Q(batches__status=SegmentBatch.Status.SENT), default=0))[:limit]
    )
    towns = dict(Town.objects.values_list("pk", "name"))
    categories = {category.pk: category.name for category in Category.objects.all()}
    for message in messages:
        message.town_names = [towns[pk] for pk in message.town_ids if pk in towns]
        message.category_names = [categories[pk] for pk in message.category_ids if pk in categories]
    return messages


def consultation_announce(*, actor: User, consultation: Consultation) -> SegmentMessage:
    """Announce a published consultation on LINE: its title and link, to the residents who asked
    for the ward's news, narrowed to the consultation's towns (every town when it has none); the
    message is audited as any segment message, and the announcement by consultations.services.
    ValidationError (nothing sent) for a draft, or as line_segment_send says."""
    if consultation.published_at is None:
        raise ValidationError(_("Publish the consultation before announcing it."), code="draft")
    with translation.override("ja"):  # the ward's LINE account speaks Japanese
        text = _("The ward asks for your opinion: %(title)s") % {"title": consultation.title}
    text += "\n" + settings.SITE_URL.rstrip("/") + consultation.get_absolute_url()
    with transaction.atomic():
        message = line_segment_send(actor=actor, text=text, towns=list(consultation.towns.all()), categories=[])
        consultation_announced(actor=actor, consultation=consultation, recipients=message.recipients)
    return message
