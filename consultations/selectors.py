"""Reads about consultations: which ones a visitor sees, and whether a resident may answer."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import is_staff_member, is_verified_resident
from consultations.models import Ballot, Consultation
from consultations.voters import voter_key


def consultations_public() -> QuerySet[Consultation]:
    """Every published consultation (opening soon, open or closed), newest opening first."""
    return Consultation.objects.filter(published_at__isnull=False).prefetch_related("towns")


def consultation_for(user: User, pk: int) -> Consultation | None:
    """The consultation `pk` as `user` may see it: staff see drafts too; None when it is not theirs to see."""
    queryset = Consultation.objects.all() if is_staff_member(user) else consultations_public()
    return queryset.select_related("facility").prefetch_related("towns", "attachments").filter(pk=pk).first()


def audience_includes(consultation: Consultation, user: User) -> bool:
    towns = [town.pk for town in consultation.towns.all()]
    return not towns or user.town_id in towns


def answer_refusal(user: User, consultation: Consultation, now=None) -> str | None:
    """Why `user` may not answer now, in a sentence; None when they may."""
    status = consultation.status(now or timezone.now())
    if status == Consultation.Status.SCHEDULED:
        return _("This consultation is not open yet.")
    if status == Consultation.Status.CLOSED:
        return _("This consultation is closed.")
    if status == Consultation.Status.DRAFT:
        return _("This consultation is a draft: residents cannot answer it yet.")
    if not user.is_authenticated:
        return _("Sign in as a resident of the ward to answer.")
    if not is_verified_resident(user):
        return _("Only verified residents of the ward can answer.")
    if not audience_includes(consultation, user):
        return _("This consultation asks residents of some towns only, and your town is not one of them.")
    return None


def ballot_of(user: User, consultation: Consultation) -> Ballot | None:
    """The resident's own answers, found through the keyed hash (no account is stored with them)."""
    if not user.is_authenticated:
        return None
    key = voter_key(consultation_id=consultation.pk, user_id=user.pk)
    return Ballot.objects.prefetch_related("comments").filter(consultation=consultation, voter=key).first()
