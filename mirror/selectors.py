"""Reads for the mirror: public listings with what their public form needs, filters, cursors."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Prefetch, QuerySet

from accounts.models import Town
from listings import filters as browse_filters
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
    qs: QuerySet[Listing],
    *,
    q: str = "",
    kind: str = "",
    category: str = "",
    town: int | None = None,
    free: bool = False,
    price_min: int | None = None,
    price_max: int | None = None,
    photos: bool = False,
) -> QuerySet[Listing]:
    """The browse page's filters, by the names the API, feeds and widget share (the price and
    photo filters are the browse page's own, listings.filters)."""
    qs = search.search(qs, q or "")
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__slug=category)
    if town:
        qs = qs.filter(town_id=town)
    if free:
        qs = qs.filter(price=0)
    if price_min is not None:
        qs = browse_filters.price_at_least(qs, price_min)
    if price_max is not None:
        qs = browse_filters.price_at_most(qs, price_max)
    if photos:
        qs = browse_filters.with_photos(qs)
    return qs


@dataclass(frozen=True)
class Version:
    """What a mirror response depends on: `changed` for Last-Modified, `tag` for the ETag."""

    changed: datetime | None
    tag: str


def mirror_version(*, listings: bool = False, categories: bool = False, towns: bool = False) -> Version:
    """When the chosen tables last changed (one small aggregate each).

    Listings count whether public or not (an edit, a status change, an expiry). Categories and
    towns count too, since listings embed their names; their row counts are in the tag so that
    a deleted row also changes it.
    """
    stamps: list[datetime] = []
    parts: list[str] = []
    if listings:
        latest = Listing.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]
        stamps.append(latest)
        parts.append(f"l{latest.isoformat() if latest else '-'}")
    for flag, model, key in ((categories, Category, "c"), (towns, Town, "t")):
        if flag:
            row = model.objects.order_by().aggregate(latest=Max("updated_at"), count=Count("pk"))
            stamps.append(row["latest"])
            parts.append(f"{key}{row['latest'].isoformat() if row['latest'] else '-'}/{row['count']}")
    present = [stamp for stamp in stamps if stamp is not None]
    return Version(changed=max(present) if present else None, tag="|".join(parts))


def category_is_active(slug: str) -> bool:
    """Whether `slug` names a category the public may filter by (the active ones, as listed)."""
    return Category.objects.filter(slug=slug, is_active=True).exists()


def town_exists(town_id: int) -> bool:
    return Town.objects.filter(pk=town_id).exists()


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def towns() -> list[Town]:
    return list(Town.objects.all())
