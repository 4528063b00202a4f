"""The browse queries read a partial index in order, from the cursor on, instead of sorting every
public listing. SQLite decides this from the SQL text alone, so the plan is the same at any size
(PostgreSQL's plans depend on table statistics: bench/browse_scale.py measures them at scale)."""

import pytest
from django.db import connection

from listings.selectors import listings_public, page_after, page_query
from tests.db import fetch, only_on
from tests.factories import make_listing


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    return " | ".join(str(row[-1]) for row in fetch("EXPLAIN QUERY PLAN " + sql, params))


@pytest.fixture
def thirty_listings(alice):
    """Thirty public listings on SQLite, with fresh statistics as the daily `manage.py expire_listings` leaves them."""
    only_on("sqlite")
    for i in range(30):
        make_listing(alice, title=f"品物{i}", price=i % 2 * 100)
    with connection.cursor() as db:
        db.execute("ANALYZE")


def _public():
    return listings_public().select_related(None).prefetch_related(None)


@pytest.mark.django_db
@pytest.mark.parametrize("sort,index", [
    ("newest", "listing_public_newest"), ("price", "listing_public_price"), ("expiring", "listing_public_expiring"),
])
def test_first_and_deep_pages_walk_the_partial_index_without_sorting(thirty_listings, sort, index):
    _rows, cursor = page_after(listings_public(), sort=sort, cursor=None, limit=10)
    for page in (None, cursor):
        plan = _plan(page_query(_public(), sort=sort, cursor=page))
        assert index in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("sort,index", [
    ("newest", "listing_public_newest"), ("price", "listing_public_price"), ("price_desc", "listing_public_price"),
    ("expiring", "listing_public_expiring"),
])
def test_going_back_walks_the_same_partial_index_without_sorting(thirty_listings, sort, index):
    _rows, cursor = page_after(listings_public(), sort=sort, cursor=None, limit=10)
    plan = _plan(page_query(_public(), sort=sort, cursor=cursor, backward=True))
    assert index in plan and "TEMP B-TREE" not in plan, plan
