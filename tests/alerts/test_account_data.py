"""Saved searches say what a resident is looking for: they are in the resident's data export and
gone with a deleted account."""

import json

from django.urls import reverse

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from listings.services import listing_not_interested
from tests.factories import make_listing


def test_the_data_export_holds_saved_searches_not_interested_marks_and_full_photo_links(alice_client, alice, bob, settings):
    saved_search_create(user=alice, q="ベビーカー", free=True)
    saved_search_create(user=bob, q="机")
    hidden = make_listing(bob, title="ボブの椅子")
    listing_not_interested(user=alice, listing=hidden)
    make_listing(alice, title="アリスの本棚", photos=1)

    data = json.loads(alice_client.get(reverse("accounts:export")).content)

    assert [(s["keywords"], s["free_only"]) for s in data["saved_searches"]] == [("ベビーカー", True)]
    assert [row["listing"] for row in data["not_interested"]] == [hidden.pk]
    assert data["listings"][0]["photos"][0].startswith(("http://", "https://"))


def test_deleting_the_account_deletes_its_saved_searches(alice_client, alice, bob):
    saved_search_create(user=alice, q="本棚")
    saved_search_create(user=bob, q="机")
    response = alice_client.post(reverse("accounts:delete"), {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302
    assert list(SavedSearch.objects.values_list("q", flat=True)) == ["机"]
