"""Error pages with DEBUG off: the site's look, Japanese by default (English when chosen), a way back."""

from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _assert_site_page(response, status: int, *texts: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert 'href="/static/css/site.css"' in page  # the site's stylesheet, not Django's bare page
    assert f'href="{reverse("home")}"' in page and f'href="{reverse("listings:browse")}"' in page
    for text in texts:
        assert text in page, text
    return page


@pytest.mark.django_db
def test_404_is_a_japanese_site_page_with_a_way_back(client):
    page = _assert_site_page(client.get("/no-such-page/"), 404, "ページが見つかりません", "トップページへ")
    assert 'lang="ja"' in page and "Not Found" not in page


@pytest.mark.django_db
def test_404_is_english_when_english_is_chosen(client):
    client.cookies["django_language"] = "en"
    page = _assert_site_page(client.get("/no-such-page/"), 404, "We could not find this page", "Go to the home page")
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_403_is_a_site_page(bob_client):
    _assert_site_page(bob_client.get(reverse("moderation:home")), 403, "このページは開けません")


@pytest.mark.django_db
def test_400_is_a_site_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    _assert_site_page(client.get("/", HTTP_HOST="evil.example"), 400, "リクエストを理解できませんでした")


@pytest.mark.django_db
def test_500_is_a_site_page_in_the_chosen_language(client):
    client.raise_request_exception = False
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    with mock.patch("listings.selectors.listings_latest", new=boom):
        _assert_site_page(client.get(reverse("home")), 500, "問題が発生しました")
        client.cookies["django_language"] = "en"
        _assert_site_page(client.get(reverse("home")), 500, "Something went wrong on our side")


def test_500_renders_without_a_request_or_the_database():
    """No django_db mark: any query here fails the test (the database may be what is down)."""
    with translation.override("ja"):
        page = render_to_string("500.html")
    assert "問題が発生しました" in page and reverse("home") in page


@pytest.mark.django_db
def test_an_expired_form_is_a_site_page(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    _assert_site_page(client.post(reverse("accounts:profile"), {}), 403, "フォームを送信できませんでした")


@pytest.mark.django_db
def test_too_many_sign_ups_say_what_happened_and_when_to_try_again(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    data = {"email": "new@example.com", "password1": "x", "password2": "y", "display_name": "新人", "postal_code": "104-0061"}
    client.post(reverse("account_signup"), data)
    page = _assert_site_page(client.post(reverse("account_signup"), data), 429, "試行が多すぎます", "数分待ってから")
    assert "Too Many Requests" not in page


@pytest.mark.django_db
def test_too_many_password_resets_are_a_site_page_in_english_too(client, settings):
    make_user(email="dora@example.com")
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    client.cookies["django_language"] = "en"
    client.post(reverse("account_reset_password"), {"email": "dora@example.com"})
    _assert_site_page(
        client.post(reverse("account_reset_password"), {"email": "dora@example.com"}), 429,
        "Too many attempts in a short time", "Please wait a few minutes, then try again.",
    )
