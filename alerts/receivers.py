"""Alerts' answers to listing events: a listing that becomes public for the first time alerts; a
rebuilt search index normalises saved searches again."""

from django.db import transaction
from django.dispatch import receiver

from alerts.models import SavedSearch
from alerts.services import saved_searches_normalise
from alerts.tasks import match_listing
from listings.lifecycle import Action
from listings.signals import listing_transitioned, search_index_rebuilt

# Renewal and release (back from reserved) are not news: they never alert again.
ALERTING = {Action.PUBLISH, Action.APPROVE}


@receiver(listing_transitioned, dispatch_uid="alerts_listing_published")
def alert_on_publish(sender, *, listing, action, actor, **kwargs) -> None:
    """Matching can take a while with many saved searches: the task worker does it after commit."""
    if action in ALERTING:
        transaction.on_commit(lambda: match_listing.enqueue(listing_id=listing.pk))


@receiver(search_index_rebuilt, dispatch_uid="alerts_saved_searches_normalised")
def normalise_saved_searches(sender, **kwargs) -> tuple[str, int]:
    """Saved searches keep terms made by listings.search: after a normalisation change they must
    be made again, or they would look for spellings the index no longer holds."""
    return "saved searches", saved_searches_normalise()


def delete_saved_searches_of_deleted_account(sender, *, user, **kwargs) -> None:
    """A deleted account keeps nothing that says what its resident was looking for."""
    SavedSearch.objects.filter(user=user).delete()  # their alerts go with them (CASCADE)


def export_saved_searches(sender, *, user, **kwargs) -> tuple[str, list[dict]]:
    searches = SavedSearch.objects.filter(user=user).select_related("category", "town").order_by("id")
    return (
        "saved_searches",
        [
            {
                "id": saved.pk,
                "keywords": saved.q,
                "kind": saved.kind,
                "category": saved.category.slug if saved.category else None,
                "town": saved.town.name if saved.town else None,
                "free_only": saved.free,
                "alerts": saved.frequency,
                "active": saved.is_active,
                "created_at": saved.created_at.isoformat(),
            }
            for saved in searches
        ],
    )
