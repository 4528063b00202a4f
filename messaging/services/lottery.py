"""Lotteries: chance, not the poster, chooses among everyone who asked before a closing time."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from listings.lifecycle import AWAY_STATUSES
from listings.models import Listing
from messaging.models import Lottery, Reservation
from messaging.notices import lottery_notify
from messaging.services.handover import announce_to_others, require_poster, reserve_for_requester
from messaging.tasks import draw_lottery


def lottery_start(*, listing: Listing, actor: User, closes_at: datetime) -> Lottery:
    """Let chance choose among everyone who asks before `closes_at`, instead of the poster choosing.

    Offers only: on a wanted listing the poster picks the offer that suits them.
    """
    require_poster(listing, actor)
    if listing.kind == Listing.Kind.WANTED:
        raise ValidationError(_("A lottery is only for items you give away."), code="wanted")
    if listing.status != Listing.Status.PUBLISHED:
        raise ValidationError(_("A lottery can only be held for a published, unreserved item."))
    if closes_at <= timezone.now():
        raise ValidationError(
            _("That time has already passed. Choose a closing time within the next 14 days."), code="closes_at"
        )
    if closes_at > timezone.now() + timedelta(days=14):
        raise ValidationError(_("Choose a closing time within the next 14 days."), code="closes_at")
    with transaction.atomic():
        lottery, _created = Lottery.objects.update_or_create(
            listing=listing, defaults={"closes_at": closes_at, "drawn_at": None, "winner": None}
        )

        def enqueue() -> None:
            task = draw_lottery
            if task.get_backend().supports_defer:
                task = task.using(run_after=closes_at)
            task.enqueue(listing_id=listing.pk)

        transaction.on_commit(enqueue)
    return lottery


def lottery_cancel(*, listing: Listing, actor: User) -> None:
    """The poster calls off an open lottery and chooses again; everyone who asked is told."""
    require_poster(listing, actor)
    with transaction.atomic():
        if not Lottery.objects.filter(listing=listing, drawn_at__isnull=True).delete()[0]:
            raise ValidationError(_("There is no open lottery for this item."), code="no_lottery")
        announce_to_others(listing, event="lottery_cancelled")


def lottery_draw(*, listing_id: int, now: datetime | None = None) -> Reservation | None:
    """Draw the lottery once it has closed: a fair random pick among eligible requesters. The
    winner is told they won, the other entrants that they were not drawn. A listing out of public
    view (in review, hidden) is drawn when it comes back."""
    now = now or timezone.now()
    with transaction.atomic():
        lottery = Lottery.objects.select_for_update().select_related("listing").filter(listing_id=listing_id).first()
        if lottery is None or lottery.drawn_at is not None or lottery.closes_at > now:
            return None
        listing = lottery.listing
        if listing.status in AWAY_STATUSES:
            # Out of public view for a while (an edit in review, hidden by staff): the draw waits
            # until the listing is public again (messaging.receivers.draw_due_lottery).
            return None
        lottery.drawn_at = now
        lottery.save(update_fields=["drawn_at"])
        if listing.status != Listing.Status.PUBLISHED:
            return None
        entrants = list(listing.conversations.filter(created_at__lte=lottery.closes_at).select_related("listing", "requester"))
        random = secrets.SystemRandom()
        random.shuffle(entrants)
        for conversation in entrants:
            try:
                with transaction.atomic():
                    reservation = reserve_for_requester(conversation, listing.owner, acted_here=False, event="lottery_won", tell_others=False)
            except ValidationError:
                continue  # blocked, deleted or at the cap: the next drawn entrant wins
            lottery.winner = conversation
            lottery.save(update_fields=["winner"])
            for entrant in entrants:
                lottery_notify(lottery, entrant, won=entrant == conversation)
            late = listing.conversations.filter(created_at__gt=lottery.closes_at).values_list("pk", flat=True)
            announce_to_others(listing, except_conversation_ids=(conversation.pk, *late), event="lottery_lost")
            announce_to_others(listing, except_conversation_ids=tuple(e.pk for e in entrants), event="reserved_for_other")
            return reservation
    return None
