"""allauth's rate limits on sign-up, login and password reset, counted in the cache (Redis in
production). The limits are allauth's defaults; what matters is that they hold and that the
resident is told."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup import SIGNUP


def test_repeated_failed_logins_for_one_account_are_stopped_even_with_the_right_password(client, alice):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": alice.email, "password": "wrong-guess"})
        assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": alice.email, "password": "correct-horse-battery"})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_sign_ups_from_one_address_are_limited(db):
    # One browser each (a sign-up waits for its code in its own session), all from one address.
    statuses = [
        Client().post(reverse("account_signup"), {**SIGNUP, "email": f"new{n}@example.com"}).status_code for n in range(21)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert User.objects.count() == 20  # the refused one left nothing behind


def test_password_reset_mails_to_one_address_are_limited(client, alice):
    statuses = [client.post(reverse("account_reset_password"), {"email": alice.email}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert len(mail.outbox) == 5
