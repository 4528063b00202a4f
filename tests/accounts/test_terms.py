"""The terms of use and the privacy policy: pages, links, acceptance at sign-up and after a new version."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.dates import format_day
from tests.accounts.test_signup import SIGNUP

PAGE = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a browser sends for a page


# --- the documents -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_terms_and_the_privacy_policy_are_public_pages_in_japanese_naming_the_ward(client, settings):
    settings.ENVIRONMENT_OFFICE_PHONE = "03-3546-5405"
    terms = client.get(reverse("terms")).content.decode()
    assert "<h1>利用規約</h1>" in terms and "中央区にお住まいの方" in terms and "版：2026-12" in terms
    assert "営利" in terms and "出品できない品物" in terms and "電話番号、メールアドレス" in terms and "免責" in terms
    privacy = client.get(reverse("privacy")).content.decode()
    assert "<h1>プライバシーポリシー</h1>" in privacy
    assert "撮影場所（GPS）" in privacy and "ダウンロード" in privacy and "監査ログ" in privacy
    assert "東京都中央区 環境推進課" in privacy and "03-3546-5405" in privacy


@pytest.mark.django_db
def test_the_documents_are_in_english_on_english_pages(client):
    client.cookies["django_language"] = "en"
    terms = client.get(reverse("terms")).content.decode()
    assert "<h1>Terms of use</h1>" in terms and "live in Chuo City" in terms and "利用規約" not in terms
    privacy = client.get(reverse("privacy")).content.decode()
    assert "<h1>Privacy policy</h1>" in privacy and "(GPS)" in privacy and "the Japanese text prevails" in privacy


@pytest.mark.django_db
def test_every_page_links_both_documents_in_its_footer(client):
    page = client.get(reverse("home")).content.decode()
    footer = page[page.index('<footer class="site-footer">'):]
    assert f'href="{reverse("terms")}">利用規約</a>' in footer and f'href="{reverse("privacy")}">プライバシーポリシー</a>' in footer


@pytest.mark.django_db
def test_a_ward_can_point_the_documents_at_its_own_pages(client, settings):
    settings.LEGAL_TERMS_URL = "https://www.city.example.lg.jp/reuse/kiyaku.html"
    response = client.get(reverse("terms"))
    assert response.status_code == 302 and response.url == "https://www.city.example.lg.jp/reuse/kiyaku.html"
    assert client.get(reverse("privacy")).status_code == 200  # the other one is still ours


@pytest.mark.django_db
def test_a_ward_can_replace_a_document_by_a_template_of_the_same_name(client, settings, tmp_path):
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal" / "privacy.html").write_text("<p>千代田区の個人情報の取扱い</p>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert "千代田区の個人情報の取扱い" in client.get(reverse("privacy")).content.decode()


def test_the_template_directories_of_a_ward_come_first(tmp_path):
    env = {**os.environ, "DJANGO_TEMPLATE_DIRS": f"{tmp_path}/a, {tmp_path}/b", "MOTTAINAI_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.TEMPLATES[0]['DIRS'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=django_settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, capture_output=True, text=True, timeout=120, check=True,
    )
    assert result.stdout.startswith(f"['{tmp_path}/a', '{tmp_path}/b', ")


# --- sign-up -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_sign_up_form_links_both_documents(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('name="postal_code"') < page.index('name="password1"') < page.index('name="accept_terms"')  # last, above the button
    assert f'<a href="{reverse("terms")}" target="_blank" rel="noopener">利用規約</a>' in page
    assert f'<a href="{reverse("privacy")}" target="_blank" rel="noopener">プライバシーポリシー</a>' in page


@pytest.mark.django_db
def test_sign_up_without_accepting_the_terms_is_refused_and_keeps_what_was_typed(client):
    data = {key: value for key, value in SIGNUP.items() if key != "accept_terms"}
    response = client.post(reverse("account_signup"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "利用規約とプライバシーポリシーに同意してください" in page
    assert "しんにゅう" in page  # what was typed is still there
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_records_the_version_accepted_and_when(client, settings):
    settings.TERMS_VERSION = "2031-01"
    assert client.post(reverse("account_signup"), SIGNUP).status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert user.terms_version == "2031-01"
    assert abs(user.terms_accepted_at - timezone.now()) < timedelta(minutes=1)


# --- a new version -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_after_a_new_version_the_next_page_asks_to_accept_it_then_goes_on(alice_client, alice, settings, clock):
    assert alice_client.get(reverse("listings:mine"), **PAGE).status_code == 200
    settings.TERMS_VERSION = "2027-04"
    response = alice_client.get(reverse("listings:mine") + "?page=2", **PAGE)
    assert response.status_code == 302
    assert response.url == reverse("accounts:terms") + "?next=%2Flistings%2Fmine%2F%3Fpage%3D2"
    page = alice_client.get(response.url, **PAGE).content.decode()
    assert "改定しました（版：2027-04）" in page and "利用規約とプライバシーポリシーに同意する" in page
    assert 'value="/listings/mine/?page=2"' in page

    clock.shift(timedelta(days=3))
    response = alice_client.post(reverse("accounts:terms"), {"next": "/listings/mine/?page=2"})
    assert response.status_code == 302 and response.url == "/listings/mine/?page=2"
    alice.refresh_from_db()
    assert alice.terms_version == "2027-04" and abs(alice.terms_accepted_at - timezone.now()) < timedelta(minutes=1)
    assert alice_client.get(reverse("listings:mine"), **PAGE).status_code == 200
    today = format_day(timezone.localdate())  # e.g. 6月12日(水)
    assert f"{today}に最新の利用規約（版：2027-04）に同意しています" in alice_client.get(reverse("accounts:terms")).content.decode()


@pytest.mark.django_db
def test_a_resident_who_has_not_accepted_can_still_read_the_documents_leave_or_download(alice_client, settings):
    settings.TERMS_VERSION = "2027-04"
    for name in ("terms", "privacy", "accounts:terms", "accounts:export", "accounts:delete"):
        assert alice_client.get(reverse(name), **PAGE).status_code == 200, name


@pytest.mark.django_db
def test_a_form_sent_before_accepting_is_not_lost(alice_client, alice, settings):
    settings.TERMS_VERSION = "2027-04"
    alice_client.post(reverse("accounts:notifications"), {"notify_messages": "on"})
    alice.refresh_from_db()
    assert alice.notify_messages and not alice.notify_listings  # saved; the next page asks


@pytest.mark.django_db
def test_staff_are_not_asked_to_accept_the_residents_terms(staff_client, settings):
    settings.TERMS_VERSION = "2027-04"
    assert staff_client.get(reverse("moderation:home"), **PAGE).status_code == 200
    assert staff_client.get(reverse("home"), **PAGE).status_code == 200


@pytest.mark.django_db
def test_accepting_never_sends_the_resident_to_another_site(alice_client, settings):
    settings.TERMS_VERSION = "2027-04"
    response = alice_client.post(reverse("accounts:terms"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")


# --- the data download -------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_data_download_and_the_profile_show_the_acceptance(alice_client):
    data = json.loads(alice_client.get(reverse("accounts:export")).content)
    assert data["account"]["terms_version_accepted"] == "2026-12"
    assert abs(datetime.fromisoformat(data["account"]["terms_accepted_at"]) - timezone.now()) < timedelta(minutes=1)
    page = alice_client.get(reverse("accounts:profile")).content.decode()
    assert f"{format_day(timezone.localdate())}に利用規約（版：2026-12）に同意しました" in page
