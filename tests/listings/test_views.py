import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Town
from listings.filters import ListingFilter
from listings.models import Category, Listing, Photo
from tests.factories import jpeg_bytes, make_listing, upload


def _form(**overrides) -> dict:
    data = {
        "kind": "offer",
        "title": "ベビーカー",
        "description": "A型ベビーカーです。",
        "category": Category.objects.get(slug="baby-kids").pk,
        "condition": "good",
        "price": "0",
        "town": Town.objects.get(name="銀座").pk,
    }
    data.update(overrides)
    return data


def _titles(response) -> list[str]:
    return [listing.title for listing in response.context["listings"]]


# --- Posting -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resident_posts_a_listing_with_photos(alice_client, alice):
    response = alice_client.post(
        reverse("listings:create"), {**_form(), "photos": [upload("a.jpg"), upload("b.JPG")]}
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url == listing.get_absolute_url()
    assert (listing.owner, listing.status, listing.photo_count) == (alice, "published", 2)
    page = alice_client.get(listing.get_absolute_url()).content.decode()
    assert "ベビーカー" in page and listing.photos.first().image.url in page


@pytest.mark.django_db
def test_a_broken_photo_is_refused_with_its_name_and_nothing_is_saved(alice_client):
    response = alice_client.post(
        reverse("listings:create"),
        {**_form(), "photos": [upload("good.jpg"), upload("fake.jpg", b"<html>not an image</html>")]},
    )
    assert response.status_code == 200
    assert "fake.jpg" in response.content.decode()
    assert not Listing.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("price", "10001"), ("price", "-1"), ("price", "abc"), ("title", ""), ("title", "x" * 61),
     ("description", "x" * 2001), ("category", "999999"), ("town", "not-a-town"), ("kind", "sell")],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(alice_client, field, value):
    response = alice_client.post(reverse("listings:create"), _form(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Listing.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,000", "１，０００", "1000円", "¥1,000", " 1 000 "])
def test_a_price_is_read_the_way_people_write_it(alice_client, typed):
    response = alice_client.post(reverse("listings:create"), _form(price=typed))
    assert response.status_code == 302
    assert Listing.objects.get().price == 1000


@pytest.mark.django_db
def test_the_price_cap_message_writes_the_cap_with_a_comma(alice_client):
    response = alice_client.post(reverse("listings:create"), _form(price="10,001"))
    assert response.context["form"].errors["price"] == ["価格は10,000円以下にしてください。このサービスは営利目的ではありません。"]
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_save_as_draft_keeps_the_listing_private(alice_client, bob_client):
    alice_client.post(reverse("listings:create"), {**_form(), "save_draft": "1"})
    listing = Listing.objects.get()
    assert listing.status == "draft"
    assert bob_client.get(listing.get_absolute_url()).status_code == 404
    assert alice_client.get(listing.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_owner_edits_photos_through_the_form(alice_client, alice):
    listing = make_listing(alice, photos=2)
    first, second = listing.photos.all()
    response = alice_client.post(
        reverse("listings:edit", args=[listing.pk]),
        {**_form(title="編集後"), f"order_{first.pk}": "2", f"order_{second.pk}": "1", "cover": str(first.pk),
         f"remove_{second.pk}": "on", "photos": [upload("new.png", _png())]},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    photos = list(listing.photos.all())
    assert listing.title == "編集後"
    assert photos[0].pk == first.pk and len(photos) == 2


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


# --- Owner actions -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action,expected", [("withdraw", "withdrawn"), ("hand_over", "handed_over"), ("renew", "published")])
def test_my_listings_actions_change_the_status(alice_client, alice, action, expected):
    from datetime import timedelta

    from django.utils import timezone

    listing = make_listing(alice)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=2))  # renewable
    response = alice_client.post(reverse("listings:act", args=[listing.pk, action]))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == expected
    if action == "renew":
        assert listing.expires_at > timezone.now() + timedelta(days=80)


@pytest.mark.django_db
def test_a_refused_action_says_why_and_changes_nothing(alice_client, alice):
    listing = make_listing(alice)
    alice_client.post(reverse("listings:act", args=[listing.pk, "hand_over"]))
    response = alice_client.post(reverse("listings:act", args=[listing.pk, "withdraw"]), follow=True)
    listing.refresh_from_db()
    assert listing.status == "handed_over"
    assert any(m.level_tag == "error" for m in response.context["messages"])


# --- Browsing ----------------------------------------------------------------------------------


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
def test_a_previous_page_deep_in_the_list_costs_what_the_first_page_costs(client, alice):
    _tied_listings(alice, n=80)
    url = reverse("listings:browse")
    cursor, pages = None, []
    while True:
        page = client.get(url, {"cursor": cursor} if cursor else {})
        pages.append(page)
        if not (cursor := page.context["next_cursor"]):
            break
    first = _queries(client, url)

    deep_previous = _queries(client, url + "?before=" + pages[-1].context["previous_cursor"])

    assert deep_previous == first


@pytest.mark.django_db
@pytest.mark.parametrize("sort,index", [
    ("newest", "listing_public_newest"), ("price", "listing_public_price"), ("price_desc", "listing_public_price"),
    ("expiring", "listing_public_expiring"),
])
def test_going_back_walks_the_same_partial_index_without_sorting(alice, sort, index):
    from listings.selectors import listings_public, page_after, page_query

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans")
    for i in range(30):
        make_listing(alice, title=f"品物{i}", price=i % 2 * 100)
    with connection.cursor() as db:
        db.execute("ANALYZE")
    _rows, cursor = page_after(listings_public(), sort=sort, cursor=None, limit=10)
    sql, params = page_query(
        listings_public().select_related(None).prefetch_related(None), sort=sort, cursor=cursor, backward=True
    ).query.sql_with_params()
    with connection.cursor() as db:
        db.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(str(row[-1]) for row in db.fetchall())
    assert index in plan and "TEMP B-TREE" not in plan, plan


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


# --- Query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()  # the home page caches its category counts for a minute
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "listings:browse"])
def test_list_pages_use_a_constant_number_of_queries(client, alice, name):
    make_listing(alice, photos=1)
    few = _queries(client, reverse(name))
    for i in range(10):
        make_listing(alice, photos=2, title=f"追加{i}", category=Category.objects.all()[i % 5])
    assert _queries(client, reverse(name)) == few


@pytest.mark.django_db
def test_the_detail_page_uses_a_constant_number_of_queries(client, alice):
    small = make_listing(alice, photos=1)
    large = make_listing(alice, photos=8)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())


@pytest.mark.django_db
def test_my_listings_uses_a_constant_number_of_queries(alice_client, alice):
    make_listing(alice, photos=1)
    few = _queries(alice_client, reverse("listings:mine"))
    for i in range(6):
        make_listing(alice, photos=1, title=f"追加{i}")
    assert _queries(alice_client, reverse("listings:mine")) == few


# --- Privacy -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_never_show_the_posters_email_or_postal_code(client, alice):
    listing = make_listing(alice, photos=1)
    for url in [reverse("home"), reverse("listings:browse"), listing.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert alice.email not in page and alice.postal_code not in page and "104-0061" not in page
    assert "ありす" in client.get(listing.get_absolute_url()).content.decode()  # display name only


# --- Hostile input ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title",
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE listings_listing; --", "本棚\u202e逆"],
)
def test_hostile_text_is_stored_as_text_and_shown_escaped(alice_client, client, title):
    response = alice_client.post(reverse("listings:create"), _form(title=title, description=title))
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.title == title
    for url in [listing.get_absolute_url(), reverse("listings:browse"), reverse("home")]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.django_db
def test_control_characters_and_noncharacters_are_removed_and_the_feed_stays_valid(alice_client, client):
    from xml.etree import ElementTree

    pasted = "本棚\x07\x1b\x7f\x08\ufffe\x00"
    response = alice_client.post(
        reverse("listings:create"), _form(title=pasted, description="一行目\x0b二行目\x0c三行目\r\n四行目")
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert listing.title == "本棚"
    assert listing.description == "一行目\n二行目\n三行目\n四行目"
    ElementTree.fromstring(client.get(reverse("mirror:feed")).content)  # parses: no control characters left


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "description"])
def test_text_with_nothing_visible_is_refused_as_empty(alice_client, field):
    response = alice_client.post(reverse("listings:create"), _form(**{field: "\u200b\u200b\u3000\ufeff"}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["このフィールドは必須です。"]
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_a_null_character_no_longer_gets_a_misleading_message(alice_client):
    response = alice_client.post(reverse("listings:create"), _form(title="\x00"))
    assert response.context["form"].errors["title"] == ["このフィールドは必須です。"]


@pytest.mark.django_db
def test_a_photo_over_the_size_limit_is_refused_with_the_limit_named(alice_client, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 50_000
    big = upload("big.jpg", jpeg_bytes(size=(1200, 1200)) + b"\0" * 60_000)
    response = alice_client.post(reverse("listings:create"), {**_form(), "photos": [big]})
    assert response.status_code == 200
    assert "big.jpg" in response.content.decode()
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_the_home_page_counts_published_listings_per_category(client, alice):
    make_listing(alice, title="本棚")
    make_listing(alice, title="下書き", publish=False)
    counts = {c.slug: c.published_count for c in client.get(reverse("home")).context["categories"]}
    assert counts["furniture"] == 1 and counts["books"] == 0


@pytest.mark.django_db
def test_a_huge_result_count_is_capped(client, alice, monkeypatch):
    from listings import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    for i in range(4):
        make_listing(alice, title=f"品{i}")
    page = client.get(reverse("listings:browse")).content.decode()
    assert "2" in page and ("More than" in page or "件以上" in page)
