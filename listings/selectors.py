"""Reads and access rules for listings, shared by views, the API, the feed and the widget."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.fields.files import FieldFile
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.utils.dateparse import parse_datetime
from django.http import Http404

from accounts.models import User
from accounts.selectors import is_staff_member
from core import pagecache
from listings import search
from listings.models import IS_PUBLIC, PUBLIC_STATUSES, Category, Listing, NotInterested, Photo


def _with_cards(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """What a listing card needs, in a constant number of queries."""
    return qs.select_related("category", "town").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.filter(position=0), to_attr="covers")
    )


def listings_public() -> QuerySet[Listing]:
    """Listings every visitor may see: published and reserved."""
    return _with_cards(Listing.objects.filter(IS_PUBLIC))


def listings_public_for(user: User) -> QuerySet[Listing]:
    """Public listings, minus those this resident said they are not interested in."""
    qs = listings_public()
    if user.is_authenticated:
        qs = qs.exclude(pk__in=NotInterested.objects.filter(user_id=user.pk).values("listing"))
    return qs


def listings_latest(limit: int = 12) -> list[Listing]:
    return list(listings_public().filter(status=Listing.Status.PUBLISHED).order_by("-published_at", "-id")[:limit])


def listings_of_owner(owner: User) -> QuerySet[Listing]:
    return _with_cards(Listing.objects.filter(owner=owner)).order_by("-created_at", "-id")


CATEGORY_COUNTS_SECONDS = 60


def categories_with_counts() -> list[Category]:
    """Active categories with how many published listings each holds.

    Counting means reading every published listing, so the counts are cached for a minute (the
    home page is the busiest page; a count a minute old is fine there).
    """
    counts = cache.get_or_set(
        "listings:category-counts",
        lambda: dict(
            Listing.objects.filter(status=Listing.Status.PUBLISHED)
            .order_by()
            .values_list("category")
            .annotate(n=Count("id"))
        ),
        CATEGORY_COUNTS_SECONDS,
    )
    categories = list(Category.objects.filter(is_active=True))
    for category in categories:
        category.published_count = counts.get(category.pk, 0)
    return categories


COUNT_LIMIT = 500


def count_up_to(qs: QuerySet, limit: int = COUNT_LIMIT) -> int:
    """Count at most limit + 1 rows: "more than 500 items" costs the same at any table size.
    Counting needs only the rows' ids: no joins for the cards, no sort. Kept until a listing
    changes (core.pagecache.remember), under the query itself as its key."""
    query = qs.order_by().values("pk")[: limit + 1]
    try:
        key = f"listings:count:{query.query}"
    except EmptyResultSet:
        return 0
    return pagecache.remember(key, lambda: search.count(query))


def listing_for_viewer(user: User, pk: int) -> Listing:
    """A listing this user may look at, with photos and poster; 404 for anything else."""
    listing = (
        Listing.objects.select_related("category", "town", "owner")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if listing is None or not _may_see(user, listing):
        raise Http404
    return listing


def _may_see(user: User, listing: Listing) -> bool:
    """The one rule behind listing_for_viewer and photo_for_viewer."""
    if listing.status in PUBLIC_STATUSES:
        return True  # public
    if user.is_authenticated and (listing.owner_id == user.pk or is_staff_member(user)):
        return True  # the poster and staff see every state
    if user.is_authenticated and is_handover_partner(user, listing):
        return True  # the other side of the handover keeps a read-only page of the item
    return False  # drafts, closed, rejected, hidden listings and those back in review do not exist for others


def is_handover_partner(user: User, listing: Listing) -> bool:
    """Did this user take part, as the requester, in the handover that closed the listing? Read
    through the reverse relation of messaging's reservations, whose status shares the listing's
    value "handed_over" (listings does not import messaging)."""
    return listing.status == Listing.Status.HANDED_OVER and listing.reservations.filter(
        status=Listing.Status.HANDED_OVER, requester_id=user.pk
    ).exists()


def handover_record(listing: Listing):
    """The reservation that closed a handed-over listing (agreed time, thanks prefetched), or None."""
    if listing.status != Listing.Status.HANDED_OVER:
        return None
    return (
        listing.reservations.filter(status=Listing.Status.HANDED_OVER)
        .select_related("conversation")
        .prefetch_related("thanks__sender")
        .order_by("-id")
        .first()
    )


# The folder of each rendition in a photo's file name (listings.models._random_photo_name).
PHOTO_FIELDS = {"display": "image", "thumb": "thumbnail"}


def photo_for_viewer(user: User, name: str) -> tuple[FieldFile, bool]:
    """The stored photo file called `name` and whether its listing is public, if this user may
    see the listing (listing_for_viewer's rule: the public, or the poster, staff and, once it is
    handed over, the requester who took part); 404 for anything else, the same for a photo of
    a hidden listing as for one that never existed."""
    folder = name.split("/")[1] if name.count("/") == 3 and name.startswith("listings/") else ""
    field = PHOTO_FIELDS.get(folder)
    photo = Photo.objects.select_related("listing").filter(**{field: name}).first() if field else None
    if photo is None or not _may_see(user, photo.listing):
        raise Http404
    return getattr(photo, field), photo.listing.is_public


def listing_for_owner(user: User, pk: int) -> Listing:
    """A listing this user may change: 404 if they may not know it, 403 if it is someone else's."""
    listing = listing_for_viewer(user, pk)
    if not user.is_authenticated or listing.owner_id != user.pk:
        raise PermissionDenied  # visible, but not theirs
    return listing


# --- Keyset pagination (browse page and API) -----------------------------------------------------

SORTS = {
    # name: (field, descending)
    "newest": ("published_at", True),
    "price": ("price", False),
    "price_desc": ("price", True),
    "expiring": ("expires_at", False),
}


class BadCursor(ValueError):
    pass


def _encode(value, pk: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Both databases store integers in 64 bits; a larger number in a crafted cursor would make the
# driver raise (SQLite: OverflowError) instead of returning a page.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _is_db_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and _INT_MIN <= value <= _INT_MAX


def _decode(cursor: str, field: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not _is_db_int(pk):
            raise BadCursor
        if field in ("published_at", "expires_at"):
            value = parse_datetime(value) if isinstance(value, str) else None
            if value is None:
                raise BadCursor
        elif not _is_db_int(value):
            raise BadCursor
        return value, pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise BadCursor from exc


def page_query(qs: QuerySet[Listing], *, sort: str, cursor: str | None, backward: bool = False) -> QuerySet[Listing]:
    """The listings after `cursor` in `sort` order (a cursor holds the sort value and id of the last
    row of the page before). With `backward`, the listings before `cursor`, nearest first: the same
    query in the opposite order, so it reads the same keyset index from the other end."""
    field, descending = SORTS.get(sort, SORTS["newest"])
    if backward:
        descending = not descending
    qs = qs.order_by(*((f"-{field}", "-id") if descending else (field, "id")))
    if cursor:
        value, pk = _decode(cursor, field)
        # A row-value comparison, (field, id) < (value, pk): both databases start the index scan
        # right at the cursor. The equivalent `field < value OR (field = value AND id < pk)`
        # makes PostgreSQL read and discard every row of the pages before.
        after = TupleLessThan if descending else TupleGreaterThan
        qs = qs.filter(after((F(field), F("id")), (value, pk)))
    return qs


def _cursor_of(listing: Listing, sort: str) -> str:
    field, _descending = SORTS.get(sort, SORTS["newest"])
    return _encode(getattr(listing, field), listing.pk)


def _page_rows(
    qs: QuerySet[Listing], *, sort: str, cursor: str | None, limit: int, backward: bool = False, cards: QuerySet[Listing] | None = None
) -> list[Listing]:
    """The rows of `page_query`, in its order: the ids are sorted and cut to `limit` on the
    listing table alone, then only those few rows are read with what `cards` (by default `qs`)
    joins and prefetches. (Joining category and town onto every keyword match before sorting
    them all was what made search slow on PostgreSQL.) `cards` is the set `qs` narrows down (the
    public listings, before the filters and the keyword search): it holds the rule of who may
    see a row, and reading 24 rows by id through it spares repeating the search, which on SQLite
    reads a common word's whole match list again."""
    keys = list(
        page_query(qs.select_related(None).prefetch_related(None), sort=sort, cursor=cursor, backward=backward)
        .values_list("pk", flat=True)[:limit]
    )
    if not keys:
        return []
    found = {row.pk: row for row in (qs if cards is None else cards).order_by().filter(pk__in=keys)}
    return [found[pk] for pk in keys if pk in found]


def page_after(
    qs: QuerySet[Listing], *, sort: str, cursor: str | None, limit: int, cards: QuerySet[Listing] | None = None
) -> tuple[list[Listing], str | None]:
    """Keyset pagination: the page after `cursor` in `sort` order, and the cursor of the next page.
    Every page costs the same. `cards`: see _page_rows."""
    rows = _page_rows(qs, sort=sort, cursor=cursor, limit=limit + 1, cards=cards)
    if len(rows) > limit:
        return rows[:limit], _cursor_of(rows[limit - 1], sort)
    return rows, None


@dataclass
class Page:
    rows: list[Listing]
    next_cursor: str | None  # for ?cursor=: the key of the last row
    previous_cursor: str | None  # for ?before=: the key of the first row; None on the first page
    is_first: bool


def page_around(
    qs: QuerySet[Listing], *, sort: str, cursor: str | None, before: str | None, limit: int, cards: QuerySet[Listing] | None = None
) -> Page:
    """The browse page: after `cursor` (next), or ending just before `before` (previous).

    Going back reads the keyset index in the other direction from `before`, so a previous page
    deep in the list costs what the first page costs. When nothing lies before the rows found,
    they belong to the first page: it is read forward instead, so "previous" from page 2 shows
    exactly page 1 (with the same number of items even if some went away meanwhile).
    Raises BadCursor for a mangled cursor.
    """
    if before and not cursor:
        rows = _page_rows(qs, sort=sort, cursor=before, limit=limit + 1, backward=True, cards=cards)
        if len(rows) > limit:
            rows = rows[:limit][::-1]
            return Page(rows, _cursor_of(rows[-1], sort), _cursor_of(rows[0], sort), is_first=False)
        cursor = None
    rows, next_cursor = page_after(qs, sort=sort, cursor=cursor, limit=limit, cards=cards)
    if cursor is None:
        return Page(rows, next_cursor, None, is_first=True)
    return Page(rows, next_cursor, _cursor_of(rows[0], sort) if rows else None, is_first=False)
