"""Matching a newly published listing against every saved search, and recording its alerts.

Runs in the task worker (alerts.tasks.match_listing) after the publishing transaction commits:
a resident publishing a listing never waits for it. docs/PERFORMANCE.md has the figures.
"""

import json
import logging
from functools import partial

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alerts.models import Alert, SavedSearch
from alerts.services import instant_send
from alerts.tasks import send_listing_alerts
from listings.models import PUBLIC_STATUSES, Listing, NotInterested

logger = logging.getLogger(__name__)


def _structured(qs: QuerySet[SavedSearch], listing: Listing) -> QuerySet[SavedSearch]:
    """The saved searches of `qs` whose structured filters accept the listing."""
    qs = qs.filter(is_active=True).exclude(user_id=listing.owner_id)
    if listing.first_published_at:
        # A search saved after the listing went up found it on the browse page: no news to send
        # (the task worker may match a while after publication).
        qs = qs.filter(created_at__lt=listing.first_published_at)
    qs = qs.filter(Q(kind="") | Q(kind=listing.kind))
    qs = qs.filter(Q(category__isnull=True) | Q(category_id=listing.category_id))
    qs = qs.filter(Q(town__isnull=True) | Q(town_id=listing.town_id))
    if listing.price != 0:
        qs = qs.filter(free=False)
    return qs.exclude(user__in=NotInterested.objects.filter(listing=listing).values("user"))


def matching(listing: Listing) -> list[tuple[int, str]]:
    """Saved searches that match a listing, as (id, frequency) rows, without reading every
    saved search.

    Two indexed queries: searches without keywords, narrowed by their structured filters; and
    keyword searches whose key gram (listings.search.key_gram) the listing's text holds, narrowed
    the same way. The few keyword candidates are then rechecked term by term on the text. Rows,
    not model instances: a listing can match thousands of searches.
    """
    found = list(_structured(SavedSearch.objects.filter(key_gram=""), listing).order_by().values_list("id", "frequency"))
    listing_grams = sorted(set(listing.search_grams.split()))
    text = listing.search_text
    for start in range(0, len(listing_grams), 500):  # a long description holds thousands of grams
        chunk = listing_grams[start : start + 500]
        keyed = _structured(SavedSearch.objects.filter(key_gram__in=chunk), listing).order_by().values_list("id", "frequency", "terms")
        found.extend((pk, frequency) for pk, frequency, words in keyed if all(word in text for word in words))
    return found


def listing_published(*, listing: Listing) -> int:
    """Record an alert for every matching saved search, once per listing (a renewed or re-published
    listing adds none), in one bulk insert; the instant ones are sent by one task queued on
    commit. Returns how many alerts were added."""
    if listing.status not in PUBLIC_STATUSES:
        return 0
    found = matching(listing)
    added = alerts_insert(listing.pk, [pk for pk, _frequency in found])
    if added and any(frequency == SavedSearch.Frequency.INSTANT for _pk, frequency in found):
        transaction.on_commit(partial(send_listing_alerts.enqueue, listing_id=listing.pk))
    return added


def alerts_insert(listing_id: int, saved_search_ids: list[int]) -> int:
    """Add an alert about a listing to each saved search that has none yet; returns how many were
    added. One statement whatever the number (a listing can match thousands of searches): the ids
    go in as one array parameter, unnested by the database. (bulk_create builds a model instance
    and three parameters per row: about ten times slower at 8,000 alerts.)"""
    if not saved_search_ids:
        return 0
    table = connection.ops.quote_name(Alert._meta.db_table)
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (saved_search_id, listing_id, created_at) "
                "SELECT unnest(%s::bigint[]), %s, %s ON CONFLICT DO NOTHING",
                [saved_search_ids, listing_id, created],
            )
        else:
            cursor.execute(
                f"INSERT OR IGNORE INTO {table} (saved_search_id, listing_id, created_at) SELECT value, %s, %s FROM json_each(%s)",
                [listing_id, created, json.dumps(saved_search_ids)],
            )
        return cursor.rowcount


def listing_instant_send(*, listing_id: int, now=None) -> int:
    """Send the instant searches' pending alerts about one new listing (instant_send for each
    search: the hourly limit holds back the rest for the digest). A search that fails does not
    stop the others; the task then fails, to be seen and retried. Returns how many were sent."""
    pending = (
        Alert.objects.filter(listing_id=listing_id, sent_at__isnull=True)
        .filter(saved_search__frequency=SavedSearch.Frequency.INSTANT, saved_search__is_active=True)
        .order_by("saved_search_id")
        .values_list("saved_search_id", flat=True)
    )
    sent, failed = 0, []
    for saved_search_id in list(pending):
        try:
            sent += instant_send(saved_search_id=saved_search_id, now=now)
        except Exception:
            logger.exception("instant alert failed", extra={"saved_search": saved_search_id, "listing": listing_id})
            failed.append(saved_search_id)
    if failed:
        raise RuntimeError(f"{len(failed)} instant alerts failed for listing {listing_id}")
    return sent
