"""A visitor can start a listing before signing up (issue 18, "fewer steps"): the form asks for
everything but the town (it comes from the sign-up's postal code), keeps what they wrote in their
session and the photos in the upload area, and comes back as they left it, photos included, once
they have signed up and typed the emailed code, or logged in to an account they already had."""

import re

import pytest
from django.urls import reverse

from listings.models import Listing, PhotoUpload
from tests.accounts.test_signup import SIGNUP, confirm_by_code
from tests.factories import upload
from tests.listings.test_photo_uploads import kept_keys
from tests.listings.test_views import _form

pytestmark = pytest.mark.django_db


def start_as_visitor(client) -> None:
    form = client.get(reverse("listings:create")).content.decode()
    assert 'name="town"' not in form and "次へ（登録して掲載）" in form
    key = client.post(reverse("listings:upload"), {"photo": upload("sofa.jpg")}).json()["key"]
    fields = {key: value for key, value in _form(title="青いソファ").items() if key != "town"}
    response = client.post(reverse("listings:create"), {**fields, "uploads": [key], "photos": [upload("side.jpg")]})
    assert response.status_code == 302
    assert response.url == reverse("account_signup") + "?next=" + reverse("listings:create").replace("/", "%2F")
    assert not Listing.objects.exists() and PhotoUpload.objects.count() == 2


def test_the_form_comes_back_as_left_after_sign_up_and_confirmation(client):
    start_as_visitor(client)
    client.post(reverse("account_signup") + "?next=" + reverse("listings:create"), {**SIGNUP, "next": reverse("listings:create")})
    response = confirm_by_code(client)  # typed in the same tab, where the kept listing is
    assert response.status_code == 302 and response.url == reverse("listings:create")

    page = client.get(response.url).content.decode()
    assert "入力途中の出品をそのまま残してあります" in page
    assert 'value="青いソファ"' in page and 'name="town"' in page
    keys = kept_keys(page)
    assert len(keys) == 2  # both photos: the one sent at once and the one sent with the form

    form = re.search(r'<select name="town"[^>]*>.*?</select>', page, re.S).group(0)
    town = re.search(r'<option value="(\d+)" selected>', form).group(1)  # from the postal code
    response = client.post(reverse("listings:create"), {**_form(title="青いソファ", town=town), "uploads": keys})
    listing = Listing.objects.get()
    assert (listing.title, listing.status, listing.photo_count, listing.owner.email) == ("青いソファ", "published", 2, SIGNUP["email"])
    assert "入力途中" not in client.get(reverse("listings:create")).content.decode()  # used once


def test_logging_in_to_an_existing_account_brings_the_form_back_too(client, alice):
    start_as_visitor(client)
    response = client.post(
        reverse("account_login"), {"login": alice.email, "password": "correct-horse-battery", "next": reverse("listings:create")}
    )
    assert response.status_code == 302 and response.url == reverse("listings:create")
    page = client.get(response.url).content.decode()
    assert 'value="青いソファ"' in page and len(kept_keys(page)) == 2
    assert PhotoUpload.objects.filter(owner=alice).count() == 2


def test_a_visitors_bad_input_gets_errors_and_keeps_the_photos(client):
    response = client.post(reverse("listings:create"), {"title": "", "photos": [upload("a.jpg")]})
    page = response.content.decode()
    assert response.status_code == 200 and "error-text" in page and len(kept_keys(page)) == 1
