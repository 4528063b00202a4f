"""Public times (API, Atom feed, webhooks) are given to the minute, and a listing's `updated_at`
moves only when something the public sees changes."""

import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition, listing_update
from mirror.models import WebhookEvent
from tests.factories import listing_data, make_listing

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
TO_THE_MINUTE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00$")


def _api(client, listing: Listing) -> dict:
    return client.get(f"/api/v1/listings/{listing.pk}").json()


def _data_of(listing: Listing):
    return listing_data(kind=listing.kind, title=listing.title, description=listing.description, category=listing.category,
                        condition=listing.condition, price=listing.price, town=listing.town)


def test_the_api_gives_times_to_the_minute(client, alice, clock):
    clock.move_to(datetime(2030, 6, 12, 10, 3, 27, 500_000, tzinfo=TOKYO))
    listing = make_listing(alice)
    item = _api(client, listing)
    for name in ("published_at", "expires_at", "updated_at"):
        assert TO_THE_MINUTE.match(item[name]), (name, item[name])
    assert item["published_at"] == item["updated_at"] == "2030-06-12T10:03:00+09:00"
    assert client.get("/api/v1/listings").json()["items"][0]["updated_at"] == "2030-06-12T10:03:00+09:00"


def test_the_feed_gives_times_to_the_minute(client, alice, clock):
    clock.move_to(datetime(2030, 6, 12, 10, 3, 27, 500_000, tzinfo=TOKYO))
    make_listing(alice)
    xml = client.get("/feeds/listings.atom").content.decode()
    times = re.findall(r"<(updated|published)>([^<]+)</", xml)
    assert {kind for kind, _ in times} == {"updated", "published"}
    assert {value for _, value in times} == {"2030-06-12T10:03:00+09:00"}


def test_saving_a_listing_unchanged_moves_nothing_public(client, alice, endpoint, receiver, deliver, clock):
    listing = make_listing(alice, photos=1)
    before = _api(client, listing)
    clock.shift(timedelta(minutes=5))
    with deliver():
        listing_update(listing=listing, actor=alice, data=_data_of(listing))
    assert _api(client, listing)["updated_at"] == before["updated_at"]
    assert not WebhookEvent.objects.filter(type="listing.updated").exists()  # nothing to tell the ward


def test_a_public_change_moves_updated_at_and_is_sent_to_the_minute(client, alice, endpoint, receiver, deliver, clock):
    listing = make_listing(alice)
    clock.move_to(datetime(2030, 6, 12, 10, 7, 41, 250_000, tzinfo=TOKYO))
    with deliver():
        listing_update(listing=listing, actor=alice, data=replace(_data_of(listing), price=300))
    item = _api(client, listing)
    assert (item["price"], item["updated_at"]) == (300, "2030-06-12T10:07:00+09:00")
    [request] = receiver.received
    payload = request.json()
    assert payload["type"] == "listing.updated"
    assert payload["created_at"] == payload["listing"]["updated_at"] == "2030-06-12T10:07:00+09:00"

    clock.shift(timedelta(minutes=3))
    listing_transition(listing=listing, action=Action.RESERVE, actor=alice)  # the status is public
    assert _api(client, listing)["updated_at"] == "2030-06-12T10:10:00+09:00"
