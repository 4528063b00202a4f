"""Reads for the mirror: public listings with what their public form needs, filters, cursors."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime

from accounts.models import Town
from listings import search
from listings.models import PUBLIC_STATUSES, Category, Listing, Photo

SORTS = {
    # name: (field, descending)
    "newest": ("published_at", True),
    "price": ("price", False),
    "price_desc": ("price", True),
    "expiring": ("expires_at", False),
}


class BadCursor(ValueError):
    pass


def listings_for_api() -> QuerySet[Listing]:
    """Published and reserved listings with category, town and photos in a constant number of queries."""
    return (
        Listing.objects.filter(status__in=PUBLIC_STATUSES)
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


def _encode(value, pk: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, field: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(pk, int):
            raise BadCursor
        if field in ("published_at", "expires_at"):
            value = parse_datetime(value) if isinstance(value, str) else None
            if value is None:
                raise BadCursor
        elif not isinstance(value, int):
            raise BadCursor
        return value, pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise BadCursor from exc


def page_after(qs: QuerySet[Listing], *, sort: str, cursor: str | None, limit: int) -> tuple[list[Listing], str | None]:
    """Keyset pagination: the page after `cursor` in `sort` order, and the cursor of the next page.

    The cursor holds the sort value and id of the last row, so every page costs the same.
    """
    field, descending = SORTS.get(sort, SORTS["newest"])
    order = (f"-{field}", "-id") if descending else (field, "id")
    qs = qs.order_by(*order)
    if cursor:
        value, pk = _decode(cursor, field)
        if descending:
            qs = qs.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk}))
        else:
            qs = qs.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": pk}))
    rows = list(qs[: limit + 1])
    if len(rows) > limit:
        last = rows[limit - 1]
        return rows[:limit], _encode(getattr(last, field), last.pk)
    return rows, None


def last_change() -> datetime | None:
    """When any listing last changed, public or not (an edit, a status change, an expiry):
    what the mirror publishes is a function of the request and this, so it versions responses."""
    return Listing.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def towns() -> list[Town]:
    return list(Town.objects.all())
