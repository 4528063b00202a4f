"""Reads for the mirror: public listings with what their public form needs, filters, cursors."""

from datetime import datetime

from django.db.models import Max, Prefetch, QuerySet

from accounts.models import Town
from listings import search
from listings.models import IS_PUBLIC, Category, Listing, Photo

def listings_for_api() -> QuerySet[Listing]:
    """Published and reserved listings with category, town and photos in a constant number of queries."""
    return (
        Listing.objects.filter(IS_PUBLIC)
        .select_related("category", "town")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("position", "id")))
    )


def filter_listings(
    qs: QuerySet[Listing], *, q: str = "", kind: str = "", category: str = "", town: int | None = None, free: bool = False
) -> QuerySet[Listing]:
    """The browse page's filters, by the names the API, feeds and widget share."""
    qs = search.search(qs, q or "")
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__slug=category)
    if town:
        qs = qs.filter(town_id=town)
    if free:
        qs = qs.filter(price=0)
    return qs


def last_change() -> datetime | None:
    """When any listing last changed, public or not (an edit, a status change, an expiry):
    what the mirror publishes is a function of the request and this, so it versions responses."""
    return Listing.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def towns() -> list[Town]:
    return list(Town.objects.all())
