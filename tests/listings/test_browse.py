"""Browsing listings: filters, sorts, cursor paging both ways, nonsense and oversized
parameters, and the counts on the home and browse pages."""

import re

import pytest
from django.urls import reverse

from accounts.models import Town
from listings.filters import ListingFilter
from listings.models import Category, Listing
from tests.factories import make_listing


def _titles(response) -> list[str]:
    return [listing.title for listing in response.context["listings"]]


@pytest.fixture
def catalogue(alice, bob):
    """A small catalogue: what a visitor may and may not see."""
    make_listing(alice, title="無料の本棚", price=0, photos=1)
    make_listing(alice, title="電子レンジ", price=1500, category=Category.objects.get(slug="appliances"))
    make_listing(bob, title="ベビーカー探しています", kind="wanted", town=Town.objects.get(name="月島"))
    make_listing(alice, title="下書きの椅子", publish=False)
    withdrawn = make_listing(alice, title="取り下げた机")
    from listings.lifecycle import Action
    from listings.services import listing_transition

    listing_transition(listing=withdrawn, action=Action.WITHDRAW, actor=alice)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, {"無料の本棚", "電子レンジ", "ベビーカー探しています"}),
        ({"kind": "wanted"}, {"ベビーカー探しています"}),
        ({"category": "appliances"}, {"電子レンジ"}),
        ({"free": "on"}, {"無料の本棚", "ベビーカー探しています"}),
        ({"price_min": "1000", "price_max": "2000"}, {"電子レンジ"}),
        ({"photos": "on"}, {"無料の本棚"}),
        ({"q": "本棚"}, {"無料の本棚"}),
        ({"q": "ベビー 探して"}, {"ベビーカー探しています"}),
        ({"q": "存在しない品物"}, set()),
        ({"q": "椅子"}, set()),  # the draft is not public
        ({"kind": "offer", "free": "on"}, {"無料の本棚"}),
    ],
)
def test_browse_filters_show_only_public_matching_listings(client, catalogue, query, expected):
    response = client.get(reverse("listings:browse"), query)
    assert response.status_code == 200
    assert set(_titles(response)) == expected


@pytest.mark.django_db
def test_browse_filters_by_town(client, catalogue):
    town = Town.objects.get(name="月島")
    assert _titles(client.get(reverse("listings:browse"), {"town": town.pk})) == ["ベビーカー探しています"]


@pytest.mark.django_db
def test_browse_sorts_by_price_both_ways(client, catalogue):
    up = _titles(client.get(reverse("listings:browse"), {"sort": "price"}))
    down = _titles(client.get(reverse("listings:browse"), {"sort": "price_desc"}))
    assert up[-1] == "電子レンジ" and down[0] == "電子レンジ"


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"price_min": "abc"}, {"sort": "random"}, {"category": "nope"}, {"cursor": "9999"}, {"cursor": "x"}])
def test_browse_survives_nonsense_parameters(client, catalogue, query):
    assert client.get(reverse("listings:browse"), query).status_code == 200


@pytest.mark.django_db
def test_a_keyword_too_long_to_search_shows_the_error_and_no_items(bob_client, catalogue):
    pasted = "https://example.com/" + "a" * 120  # a link pasted into the search box

    response = bob_client.get(reverse("listings:browse"), {"q": pasted, "sort": "price"})

    assert response.status_code == 200
    assert _titles(response) == [] and response.context["total"] == 0
    assert response.context["filter"].form.errors["q"]
    page = response.content.decode()
    assert pasted in page  # kept in the field, to shorten
    assert reverse("alerts:save") not in page  # no "save this search" for a search that was not made


@pytest.mark.django_db
def test_a_value_that_is_not_valid_is_reported_and_left_out_while_the_sort_and_other_filters_apply(client, catalogue):
    response = client.get(reverse("listings:browse"), {"sort": "price_desc", "kind": "offer", "town": "99999"})

    assert _titles(response) == ["電子レンジ", "無料の本棚"]  # offers, highest price first
    assert response.context["filter"].form.errors["town"]
    assert response.context["filter"].ignored == [str(ListingFilter.base_filters["town"].label)]
    assert "町名" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_counts_published_listings_per_category(client, alice):
    make_listing(alice, title="本棚")
    make_listing(alice, title="下書き", publish=False)
    page = client.get(reverse("home")).content.decode()
    counts = dict(re.findall(r'\?category=([\w-]+)">[^<]*<span class="count">(\d+)</span>', page))
    assert counts["furniture"] == "1" and counts["books"] == "0"


@pytest.mark.django_db
def test_a_huge_result_count_is_capped(client, alice, monkeypatch):
    from listings import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    for i in range(4):
        make_listing(alice, title=f"品{i}")
    page = client.get(reverse("listings:browse")).content.decode()
    assert "2" in page and ("More than" in page or "件以上" in page)


# --- Paging by cursor -----------------------------------------------------------------------


@pytest.mark.django_db
def test_browse_pages_by_cursor_through_every_listing_once(client, alice):
    for i in range(50):
        make_listing(alice, title=f"品物{i}")
    seen, url, params = [], reverse("listings:browse"), {}
    while True:
        response = client.get(url, params)
        seen += _titles(response)
        if not response.context["next_cursor"]:
            break
        params = {"cursor": response.context["next_cursor"]}
    assert len(seen) == 50 and len(set(seen)) == 50
    assert response.context["total"] == 50


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "price", "price_desc", "expiring"])
def test_every_sort_pages_through_ties_in_order_and_once(client, alice, sort):
    # Many listings share a price and a publication time: the cursor must break ties by id.
    for i in range(60):
        make_listing(alice, title=f"品物{i}", price=[0, 0, 300][i % 3])
    same = Listing.objects.order_by("pk").first()
    Listing.objects.filter(pk__lt=same.pk + 30).update(published_at=same.published_at, expires_at=same.expires_at)
    expected = [l.title for l in Listing.objects.order_by(*{
        "newest": ("-published_at", "-id"), "price": ("price", "id"), "price_desc": ("-price", "-id"), "expiring": ("expires_at", "id"),
    }[sort])]
    seen, params = [], {"sort": sort}
    while True:
        response = client.get(reverse("listings:browse"), params)
        seen += _titles(response)
        if not response.context["next_cursor"]:
            break
        params = {"sort": sort, "cursor": response.context["next_cursor"]}
    assert seen == expected


def _ordered_titles(sort: str) -> list[str]:
    return [l.title for l in Listing.objects.order_by(*{
        "newest": ("-published_at", "-id"), "price": ("price", "id"), "price_desc": ("-price", "-id"), "expiring": ("expires_at", "id"),
    }[sort])]


def _tied_listings(alice, n=60):
    """n listings, many sharing a price, a publication time and an expiry: keys tie, ids decide."""
    for i in range(n):
        make_listing(alice, title=f"品物{i}", price=[0, 0, 300][i % 3])
    same = Listing.objects.order_by("pk").first()
    Listing.objects.filter(pk__lt=same.pk + n // 2).update(published_at=same.published_at, expires_at=same.expires_at)


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "price", "price_desc", "expiring"])
def test_previous_after_next_shows_the_same_items_at_both_ends_with_every_sort(client, alice, sort):
    _tied_listings(alice)  # three pages of 24, 24 and 12
    expected = _ordered_titles(sort)
    url = reverse("listings:browse")
    first = client.get(url, {"sort": sort})
    assert first.context["previous_cursor"] is None and first.context["is_first_page"]
    second = client.get(url, {"sort": sort, "cursor": first.context["next_cursor"]})
    last = client.get(url, {"sort": sort, "cursor": second.context["next_cursor"]})
    assert _titles(last) == expected[48:] and last.context["next_cursor"] is None

    back_to_second = client.get(url, {"sort": sort, "before": last.context["previous_cursor"]})
    back_to_first = client.get(url, {"sort": sort, "before": back_to_second.context["previous_cursor"]})

    assert _titles(back_to_second) == _titles(second) == expected[24:48]
    assert back_to_second.context["next_cursor"] == second.context["next_cursor"]  # next works again from there
    assert _titles(back_to_first) == _titles(first) == expected[:24]
    assert back_to_first.context["is_first_page"] and back_to_first.context["previous_cursor"] is None
    assert back_to_first.context["next_cursor"] == first.context["next_cursor"]


@pytest.mark.django_db
def test_the_previous_link_shows_from_the_second_page_on_and_keeps_the_filters(client, alice):
    for i in range(30):
        make_listing(alice, title=f"品物{i}")
    url = reverse("listings:browse")
    first = client.get(url, {"sort": "price", "kind": "offer"})
    assert 'rel="prev"' not in first.content.decode()

    second = client.get(url, {"sort": "price", "kind": "offer", "cursor": first.context["next_cursor"]})

    html = second.content.decode()
    link = re.search(r'<a rel="prev" href="\?([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "sort=price" in link and "kind=offer" in link and "before=" in link and "cursor=" not in link
    assert _titles(client.get(url + "?" + link)) == _titles(first)


@pytest.mark.django_db
def test_a_previous_page_deep_in_the_list_costs_what_the_first_page_costs(client, alice, count_queries):
    _tied_listings(alice, n=80)
    url = reverse("listings:browse")
    cursor, pages = None, []
    while True:
        page = client.get(url, {"cursor": cursor} if cursor else {})
        pages.append(page)
        if not (cursor := page.context["next_cursor"]):
            break
    first = count_queries(client, url)

    deep_previous = count_queries(client, url + "?before=" + pages[-1].context["previous_cursor"])

    assert deep_previous == first


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"before": "garbage!"}, {"before": "9999"}, {"before": "x", "cursor": "y"}])
def test_a_mangled_previous_cursor_starts_again_from_the_first_page(client, alice, query):
    make_listing(alice, title="本棚")
    response = client.get(reverse("listings:browse"), query)
    assert response.status_code == 200 and _titles(response) == ["本棚"]


@pytest.mark.django_db
def test_a_mangled_cursor_starts_again_from_the_first_page(client, alice):
    make_listing(alice, title="本棚")
    assert _titles(client.get(reverse("listings:browse"), {"cursor": "garbage!"})) == ["本棚"]


def _cursor(value, pk) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


HUGE_CURSORS = [
    ("newest", _cursor("2026-01-01T00:00:00", 2**64)),
    ("price", _cursor(10**30, 1)),
    ("price_desc", _cursor(-(10**30), 1)),
    ("price", _cursor(True, 1)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("sort,cursor", HUGE_CURSORS)
def test_a_cursor_with_numbers_too_large_for_the_database_starts_again_from_the_first_page(client, alice, sort, cursor):
    make_listing(alice, title="本棚")
    response = client.get(reverse("listings:browse"), {"sort": sort, "cursor": cursor})
    assert response.status_code == 200 and _titles(response) == ["本棚"]


@pytest.mark.django_db
@pytest.mark.parametrize("sort,cursor", HUGE_CURSORS)
def test_the_api_refuses_a_cursor_with_numbers_too_large_for_the_database(client, alice, sort, cursor):
    make_listing(alice, title="本棚")
    response = client.get("/api/v1/listings", {"sort": sort, "cursor": cursor})
    assert response.status_code == 400  # as for every other broken cursor: start again without it
    assert "cursor" in response.json()["detail"]
