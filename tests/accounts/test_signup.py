import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User

SIGNUP = {
    "email": "newcomer@example.com",
    "password1": "a-long-enough-passphrase",
    "display_name": "しんにゅう",
    "postal_code": "１０４－００６１",
    "accept_terms": "on",
}


def _confirmation_code() -> str:
    """The six-digit code of the last sign-up email (typed in the page left open)."""
    return re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)


def confirm_by_code(client):
    return client.post(reverse("account_email_verification_sent"), {"code": _confirmation_code()})


@pytest.mark.django_db
def test_a_ward_resident_signs_up_and_gets_the_town_from_the_postal_code(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.com")
    assert (user.display_name, user.postal_code, user.town.name) == ("しんにゅう", "1040061", "銀座")
    assert len(mail.outbox) == 1 and "newcomer@example.com" in mail.outbox[0].to


@pytest.mark.django_db
def test_a_postal_code_typed_with_a_minus_sign_is_accepted(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "104\u22120061"})
    assert response.status_code == 302
    assert User.objects.get(email="newcomer@example.com").postal_code == "1040061"


@pytest.mark.django_db
def test_sign_up_refuses_a_name_that_passes_for_the_ward(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "中央区役所"})
    assert response.status_code == 200
    assert "この名前は使えません" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.django_db
def test_it_refuses_a_postal_code_outside_the_ward_in_japanese(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "160-0022"})
    assert response.status_code == 200
    assert "160-0022 は中央区の郵便番号ではありません" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


@pytest.mark.django_db
def test_it_refuses_a_postal_code_outside_the_ward_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "160-0022"})
    assert "160-0022 is not a postal code in Chuo City" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_login_waits_for_email_verification_then_works_by_email(client, clock):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    clock.shift(timedelta(minutes=5))  # back later: a new code is sent at most every three minutes
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_by_code(client)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    client.logout()
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert client.get(reverse("listings:create")).status_code == 200


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice):
    client.post(reverse("account_reset_password"), {"email": alice.email})
    link = re.search(r"https?://[^\s]+/auth/password/reset/key/[^\s]+/", mail.outbox[-1].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "brand-new-passphrase", "password2": "brand-new-passphrase"})
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase")


@pytest.mark.django_db
def test_logout_ends_the_session(alice_client):
    alice_client.post(reverse("account_logout"))
    assert alice_client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_line_login_is_offered_only_when_configured(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "LINE" not in page


def test_line_login_appears_when_its_keys_are_configured(tmp_path):
    # Providers are read when Django starts, so this runs a fresh process with the keys set.
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client;"
        "print(Client(HTTP_HOST='127.0.0.1').get('/auth/login/').content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MOTTAINAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "LINE_CHANNEL_ID": "1234567890",
        "LINE_CHANNEL_SECRET": "test-secret",
    }
    page = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout
    assert "/auth/line/login/" in page


@pytest.mark.django_db
def test_sign_up_and_login_pages_look_like_the_sites_forms(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.count('<span class="required">（必須）</span>') == 4  # email, name, postal code, one password
    assert 'name="password2"' not in page  # typed once, on a phone
    assert 'class="button"' in page and 'class="stacked-form"' in page
    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "160-0022"})
    page = response.content.decode()
    assert '<div class="field field-error">' in page
    assert '<div id="id_postal_code_error"><p class="error-text" role="alert">' in page and 'class="errorlist"' not in page
    assert "以下のエラーを修正してください。" in page
    login = client.get(reverse("account_login")).content.decode()
    assert 'class="stacked-form"' in login and 'class="button"' in login and "errorlist" not in login


@pytest.mark.django_db
def test_the_site_follows_site_url_and_sign_up_emails_name_no_other_host(client, settings):
    from django.contrib.sites.models import Site
    from django.core.management import call_command

    settings.SITE_URL = "https://mottainai.example.jp"
    call_command("migrate", verbosity=0)  # every deploy and bin/dev run it
    client.post(reverse("account_signup"), SIGNUP)
    body = mail.outbox[-1].body
    assert Site.objects.get_current().domain == "mottainai.example.jp"
    assert "127.0.0.1:8000" not in body and "example.com" not in body
