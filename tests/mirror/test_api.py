"""The public API at /api/v1: the contract the ward's website relies on."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Town
from listings.lifecycle import Action
from listings.models import Category
from listings.services import listing_transition
from tests.factories import make_listing


def _get(client, path, **headers):
    return client.get(path, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})


@pytest.fixture
def public(alice, bob):
    """Three public listings, one reserved, plus a draft and a withdrawn one that must not appear."""
    a = make_listing(alice, title="本棚", photos=2, price=0)
    b = make_listing(alice, title="電子レンジ", price=1500, category=Category.objects.get(slug="appliances"))
    c = make_listing(bob, title="ベビーカー探しています", kind="wanted", town=Town.objects.get(name="月島"))
    listing_transition(listing=b, action=Action.RESERVE, actor=alice)
    make_listing(alice, title="下書き", publish=False)
    gone = make_listing(alice, title="取り下げ")
    listing_transition(listing=gone, action=Action.WITHDRAW, actor=alice)
    return a, b, c


@pytest.mark.django_db
def test_the_list_holds_published_and_reserved_listings_only(client, public):
    data = client.get("/api/v1/listings").json()
    assert {item["title"] for item in data["items"]} == {"本棚", "電子レンジ", "ベビーカー探しています"}
    assert data["next"] is None


@pytest.mark.django_db
def test_a_listing_has_every_public_field_and_nothing_personal(client, public, alice):
    shelf = public[0]
    item = client.get(f"/api/v1/listings/{shelf.pk}").json()
    assert item["id"] == shelf.pk and item["number"] == shelf.number
    assert (item["kind"], item["title"], item["price"], item["status"]) == ("offer", "本棚", 0, "published")
    assert item["category"] == {"slug": "furniture", "name_ja": "家具", "name_en": "Furniture"}
    assert item["town"]["name"] == "銀座"
    assert len(item["photos"]) == 2 and item["photos"][0]["url"].startswith("http")
    assert item["photos"][0]["thumbnail_url"].endswith(".jpg")
    assert item["published_at"].endswith("+09:00") and datetime.fromisoformat(item["expires_at"])
    assert item["url"].endswith(f"/listings/{shelf.pk}/")
    text = json.dumps(item, ensure_ascii=False)
    for secret in (alice.email, alice.display_name, alice.postal_code, "104-0061"):
        assert secret not in text


@pytest.mark.django_db
def test_closed_and_draft_listings_are_not_found(client, alice):
    draft = make_listing(alice, publish=False)
    assert client.get(f"/api/v1/listings/{draft.pk}").status_code == 404
    assert client.get("/api/v1/listings/999999").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ("kind=wanted", {"ベビーカー探しています"}),
        ("category=appliances", {"電子レンジ"}),
        ("free=true", {"本棚", "ベビーカー探しています"}),
        ("q=本棚", {"本棚"}),
        ("q=存在しない", set()),
    ],
)
def test_filters_work_as_on_the_browse_page(client, public, query, expected):
    assert {i["title"] for i in client.get(f"/api/v1/listings?{query}").json()["items"]} == expected


@pytest.mark.django_db
def test_filter_by_town(client, public):
    town = Town.objects.get(name="月島").pk
    assert [i["title"] for i in client.get(f"/api/v1/listings?town={town}").json()["items"]] == ["ベビーカー探しています"]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "price", "price_desc", "expiring"])
def test_cursor_pagination_walks_every_listing_once_in_order(client, alice, sort):
    for i in range(7):
        make_listing(alice, title=f"品{i}", price=i * 100 % 300)
    seen, url = [], f"/api/v1/listings?limit=3&sort={sort}"
    while url:
        page = client.get(url.replace("http://127.0.0.1:8000", "")).json()
        seen += page["items"]
        url = page["next"]
    assert len(seen) == 7 and len({i["id"] for i in seen}) == 7
    key = {"newest": lambda i: i["published_at"], "price": lambda i: i["price"],
           "price_desc": lambda i: i["price"], "expiring": lambda i: i["expires_at"]}[sort]
    values = [key(i) for i in seen]
    assert values == sorted(values, reverse=sort in ("newest", "price_desc"))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["limit=0", "limit=1000", "limit=abc", "sort=random", "kind=sell", "town=-1", "cursor=%%%", "cursor=bm9wZQ", "category=sofa%00", "category=%E5%AE%B6%E5%85%B7"])
def test_bad_parameters_get_a_clear_400(client, public, query):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.django_db
def test_conditional_requests_get_304_until_something_changes(client, public, alice):
    first = client.get("/api/v1/listings")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "max-age" in first["Cache-Control"]
    assert _get(client, "/api/v1/listings", if_none_match=etag).status_code == 304
    assert _get(client, "/api/v1/listings", if_modified_since=modified).status_code == 304
    listing_transition(listing=public[0], action=Action.WITHDRAW, actor=alice)
    changed = _get(client, "/api/v1/listings", if_none_match=etag)
    assert changed.status_code == 200 and "本棚" not in changed.content.decode()


@pytest.mark.django_db
def test_categories_and_towns(client):
    categories = client.get("/api/v1/categories").json()
    assert {"slug": "furniture", "name_ja": "家具", "name_en": "Furniture"} in categories
    towns = client.get("/api/v1/towns").json()
    assert any(t["name"] == "銀座" for t in towns)


@pytest.mark.django_db
def test_cors_allows_the_configured_ward_origin_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.city.chuo.lg.jp"]
    ward = client.get("/api/v1/categories", HTTP_ORIGIN="https://www.city.chuo.lg.jp")
    assert ward["Access-Control-Allow-Origin"] == "https://www.city.chuo.lg.jp"
    other = client.get("/api/v1/categories", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


@pytest.mark.django_db
def test_too_many_requests_get_a_clear_429(client):
    from mirror.api import API_THROTTLE as throttle

    original = throttle.rate, throttle.num_requests, throttle.duration
    throttle.rate, throttle.num_requests, throttle.duration = "3/m", 3, 60
    cache.clear()
    try:
        statuses = [client.get("/api/v1/categories").status_code for _ in range(4)]
        response = client.get("/api/v1/categories")
    finally:
        throttle.rate, throttle.num_requests, throttle.duration = original
    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429 and "Too many requests" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_openapi_schema_and_docs_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/listings", "/api/v1/listings/{listing_id}", "/api/v1/categories", "/api/v1/towns"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_the_list_uses_a_constant_number_of_queries(client, alice, django_assert_max_num_queries):
    for i in range(3):
        make_listing(alice, photos=2, title=f"a{i}")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/listings?limit=50")
    for i in range(10):
        make_listing(alice, photos=2, title=f"b{i}")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/listings?limit=50")


@pytest.mark.django_db
def test_a_category_change_makes_cached_categories_and_listings_stale(client, public, staff):
    from moderation.services import category_save

    categories, listings = client.get("/api/v1/categories"), client.get("/api/v1/listings")
    assert _get(client, "/api/v1/categories", if_none_match=categories["ETag"]).status_code == 304
    furniture = Category.objects.get(slug="furniture")
    category_save(actor=staff, category=furniture, name_ja="家具・インテリア", name_en="Furniture", slug="furniture",
                  position=furniture.position, is_active=True)
    renamed = _get(client, "/api/v1/categories", if_none_match=categories["ETag"])
    assert renamed.status_code == 200 and "家具・インテリア" in renamed.content.decode()
    embedded = _get(client, "/api/v1/listings", if_none_match=listings["ETag"])
    assert embedded.status_code == 200 and "家具・インテリア" in embedded.content.decode()

    category_save(actor=staff, category=furniture, name_ja="家具・インテリア", name_en="Furniture", slug="furniture",
                  position=furniture.position, is_active=False)
    deactivated = _get(client, "/api/v1/categories", if_none_match=renamed["ETag"])
    assert deactivated.status_code == 200 and "furniture" not in deactivated.content.decode()


@pytest.mark.django_db
def test_a_town_change_makes_cached_towns_stale_also_for_if_modified_since(client, public):
    first = client.get("/api/v1/towns")
    Town.objects.filter(name="月島").update(name="月島一丁目", updated_at=timezone.now() + timedelta(seconds=5))
    assert _get(client, "/api/v1/towns", if_none_match=first["ETag"]).status_code == 200
    changed = _get(client, "/api/v1/towns", if_modified_since=first["Last-Modified"])
    assert changed.status_code == 200 and "月島一丁目" in changed.content.decode()
    assert _get(client, "/api/v1/listings?kind=wanted", if_modified_since=first["Last-Modified"]).status_code == 200


@pytest.mark.django_db
def test_the_browse_pages_own_query_string_works_and_empty_values_mean_no_filter(client, public):
    browse = client.get("/api/v1/listings?q=&kind=&category=&town=&free=on&sort=newest")
    assert browse.status_code == 200, browse.content
    assert {i["title"] for i in browse.json()["items"]} == {"本棚", "ベビーカー探しています"}
    everything = client.get("/api/v1/listings?q=&kind=&category=&town=&free=&sort=")
    assert everything.status_code == 200, everything.content
    assert len(everything.json()["items"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,sentence",
    [
        ("category=nope", "Unknown category “nope”"),
        ("category=kitchen-old", "Unknown category “kitchen-old”"),
        ("town=99999", "No town with id 99999"),
        ("kind=sell", "kind: must be offer or wanted"),
        ("town=abc", "town: must be a town id"),
    ],
)
def test_unknown_categories_and_towns_get_a_400_that_says_what_is_wrong(client, public, query, sentence):
    Category.objects.create(slug="kitchen-old", name_ja="旧台所", name_en="Old kitchen", is_active=False)
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    assert sentence in response.json()["detail"]
    assert "ETag" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/listings/", "/api/v1/listings/1/", "/api/v1/", "/api/v1"])
def test_unknown_api_paths_get_the_apis_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/docs" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/listings", "/api/v1/listings/{id}", "/api/v1/categories", "/api/v1/towns"])
def test_head_answers_like_get_without_a_body(client, public, path):
    path = path.format(id=public[0].pk)
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and head["Content-Type"] == "application/json"
    assert head["Content-Length"] == str(len(get.content))
    assert _get(client, path, if_none_match=get["ETag"]).status_code == 304
    assert client.head(path, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_weak_validator_from_a_gzip_front_still_gets_304(client, public):
    # nginx's gzip turns our ETag "x" into W/"x"; RFC 9110 compares If-None-Match weakly.
    etag = client.get("/api/v1/listings")["ETag"]
    assert _get(client, "/api/v1/listings", if_none_match=f"W/{etag}").status_code == 304
    assert _get(client, "/api/v1/listings", if_none_match=f'"other", W/{etag}').status_code == 304
    assert _get(client, "/api/v1/listings", if_none_match='W/"other"').status_code == 200


@pytest.mark.django_db
def test_the_cors_preflight_lets_the_ward_site_send_conditional_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.city.chuo.lg.jp"]
    response = client.options(
        "/api/v1/listings",
        HTTP_ORIGIN="https://www.city.chuo.lg.jp",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, if-modified-since",
    )
    assert response.status_code == 200
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since"} <= allowed
    assert "HEAD" in response["Access-Control-Allow-Methods"]


def test_the_address_limit_counts_every_request_that_comes_at_once():
    """Many threads asking at the same moment: exactly the limit gets through (each is counted)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory

    from mirror.throttle import AddressThrottle

    cache.clear()
    throttle = AddressThrottle("40/m")
    request = RequestFactory().get("/api/v1/categories", REMOTE_ADDR="203.0.113.9")
    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(lambda _: throttle.allow_request(request), range(100)))

    assert allowed.count(True) == 40
    assert not throttle.allow_request(request) and throttle.wait() > 0
    other = RequestFactory().get("/api/v1/categories", REMOTE_ADDR="203.0.113.10")
    assert throttle.allow_request(other)  # per address
