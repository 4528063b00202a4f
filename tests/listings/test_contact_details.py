"""The contact-detail guard on listings: the form shows which part looks like a contact detail and
why; a poster who is sure it is not one sends it anyway, and staff review it before anyone sees it."""

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Town
from listings.models import Category, Listing
from mirror.models import WebhookEvent
from mirror.webhooks import webhook_endpoint_create
from moderation.services import listing_approve
from tests.factories import make_listing


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


def _public_everywhere(client, listing: Listing) -> dict[str, bool]:
    feed = feedparser.parse(client.get(reverse("mirror:feed")).content)
    return {
        "page": client.get(listing.get_absolute_url()).status_code == 200,
        "api": client.get(f"/api/v1/listings/{listing.pk}").status_code == 200,
        "feed": any(entry.link.endswith(f"/listings/{listing.pk}/") for entry in feed.entries),
        "widget": listing.title in client.get(reverse("mirror:embed")).content.decode(),
    }


@pytest.mark.django_db
def test_a_title_with_a_phone_number_is_not_published_and_the_form_says_which_part_and_why(alice_client):
    with translation.override("ja"):
        response = alice_client.post(reverse("listings:create"), _form(title="電話 090-1234-5678"), HTTP_ACCEPT_LANGUAGE="ja")
    page = response.content.decode()
    assert response.status_code == 200 and not Listing.objects.exists()
    assert "「090-1234-5678」は電話番号のようです。" in page
    assert "これは連絡先ではありません" in page


@pytest.mark.django_db
def test_send_anyway_sends_it_to_staff_review_and_nowhere_public_until_approved(alice_client, client, staff):
    webhook_endpoint_create(url="https://www.example.invalid/hook")  # the ward's site, told of public listings
    response = alice_client.post(
        reverse("listings:create"), _form(title="電話 090-1234-5678", send_anyway="on")
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert listing.status == Listing.Status.PENDING
    assert "090-1234-5678" in listing.review_reasons  # staff see which part and why
    assert _public_everywhere(client, listing) == {"page": False, "api": False, "feed": False, "widget": False}
    assert not WebhookEvent.objects.filter(listing_id=listing.pk).exists()
    listing_approve(listing=listing, actor=staff)
    assert _public_everywhere(client, listing) == {"page": True, "api": True, "feed": True, "widget": True}
    assert WebhookEvent.objects.filter(listing_id=listing.pk).count() == 1


@pytest.mark.django_db
def test_an_address_in_the_description_is_pointed_at_in_the_description(alice_client):
    response = alice_client.post(
        reverse("listings:create"), _form(description="月島3-4-5 ハイツ201まで取りに来てください"), HTTP_ACCEPT_LANGUAGE="en"
    )
    form = response.context["form"]
    assert form.errors["description"] == [
        "“3-4-5” looks like a street address. Please do not publish contact details.",
        "“ハイツ201” looks like a building or room number. Please do not publish contact details.",
    ]
    assert "title" not in form.errors


@pytest.mark.django_db
def test_ordinary_listing_text_is_published_at_once(alice_client):
    alice_client.post(
        reverse("listings:create"),
        _form(title="冷蔵庫 NR-B17FW 2024年製", description="幅48cm×奥行60cm×高さ120cm。12/5の15:00以降、1,000円で。"),
    )
    assert Listing.objects.get().status == Listing.Status.PUBLISHED


@pytest.mark.django_db
def test_editing_a_published_listing_to_add_an_email_asks_first_then_sends_it_back_to_review(alice_client, alice, client):
    listing = make_listing(alice, title="本棚")
    url = reverse("listings:edit", args=[listing.pk])
    edited = _form(title="本棚", description="taro＠example.com へ連絡ください")
    response = alice_client.post(url, edited)
    assert response.status_code == 200 and "taro＠example.com" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED and listing.description != edited["description"]
    alice_client.post(url, {**edited, "send_anyway": "on"})
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    assert client.get(f"/api/v1/listings/{listing.pk}").status_code == 404


@pytest.mark.django_db
def test_a_draft_with_a_contact_detail_waits_for_review_when_submitted(alice, alice_client):
    alice_client.post(reverse("listings:create"), {**_form(title="LINE ID: taro_1234"), "send_anyway": "on", "save_draft": "1"})
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.DRAFT
    alice_client.post(reverse("listings:act", args=[listing.pk, "submit"]))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING and "taro_1234" in listing.review_reasons
