"""A suspended resident learns it at sign-in and sees it on every page, not first as a 403 on 出品する."""

import pytest
from django.test import Client
from django.urls import reverse

from core.dates import format_day
from listings.models import Listing
from moderation.services import account_suspend
from tests.factories import listing_data

pytestmark = pytest.mark.django_db

REASON = "繰り返し販売目的の出品があったため"


@pytest.fixture
def suspended_alice(alice, staff):
    account_suspend(user=alice, actor=staff, reason=REASON)
    return alice


def test_a_suspended_resident_lands_on_the_notice_right_after_logging_in(client, suspended_alice, settings):
    response = client.post(reverse("account_login"), {"login": suspended_alice.email, "password": "correct-horse-battery"}, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:suspended"))
    page = response.content.decode()
    assert "アカウントは利用停止中です" in page
    assert REASON in page
    assert str(response.context["OFFICE_NAME"]) in page
    assert format_day(suspended_alice.suspended_at) in page  # since when
    assert "解除するまで続きます" in page  # until when: no end date, until the office lifts it


def test_an_active_resident_logs_in_to_the_home_page_as_before(client, alice):
    response = client.post(reverse("account_login"), {"login": alice.email, "password": "correct-horse-battery"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_every_page_shows_the_suspension_banner(client, suspended_alice):
    client.force_login(suspended_alice)
    for url in (reverse("home"), reverse("listings:browse"), reverse("accounts:profile")):
        page = client.get(url).content.decode()
        assert "data-suspension-banner" in page, url
        assert "利用停止中" in page
        assert reverse("accounts:suspended") in page


def test_an_active_resident_sees_no_banner(alice_client):
    page = alice_client.get(reverse("home")).content.decode()

    assert "data-suspension-banner" not in page


def test_the_post_button_leads_to_the_notice_and_posting_explains_and_creates_nothing(client, suspended_alice):
    client.force_login(suspended_alice)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("listings:create")}"' not in home

    form = client.get(reverse("listings:create"))
    assert form.status_code == 403
    assert REASON in form.content.decode()

    data = listing_data()
    response = client.post(reverse("listings:create"), {
        "kind": data.kind, "title": "新しい出品", "description": "説明", "category": data.category.pk,
        "condition": data.condition, "price": 0, "town": data.town.pk,
    })
    assert response.status_code == 403
    assert REASON in response.content.decode()
    assert not Listing.objects.filter(title="新しい出品").exists()


def test_a_listing_page_replaces_the_request_button_with_the_notice(client, suspended_alice, bob):
    from tests.factories import make_listing

    listing = make_listing(bob)
    client.force_login(suspended_alice)
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()

    assert reverse("messaging:start", args=[listing.pk]) not in page
    assert reverse("accounts:suspended") in page


def test_a_suspended_resident_may_still_download_their_data_and_reach_deletion(client, suspended_alice):
    client.force_login(suspended_alice)

    assert client.get(reverse("accounts:export")).status_code == 200
    assert client.get(reverse("accounts:delete")).status_code == 200


def test_the_notice_after_the_suspension_is_lifted_says_so(alice_client):
    page = alice_client.get(reverse("accounts:suspended"), {"next": "https://evil.example/"}).content.decode()

    assert "data-suspension-banner" not in page
    assert "href=\"https://evil.example/\"" not in page
