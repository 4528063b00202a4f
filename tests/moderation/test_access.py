"""Signing in to the staff console and the admin: password, then the authenticator code. Who may
open which staff page is in tests/authorization/ (the matrix)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import STAFF_TOTP_SECRET, make_user


def test_staff_log_in_with_password_and_authenticator_code(staff):
    c = Client()
    response = c.post(reverse("account_login"), {"login": "staff@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert c.get(reverse("moderation:home")).status_code == 302  # not logged in yet
    code = format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30))
    response = c.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert c.get(reverse("moderation:home")).status_code == 200


def test_a_wrong_code_does_not_let_staff_in(staff):
    c = Client()
    c.post(reverse("account_login"), {"login": "staff@example.com", "password": "correct-horse-battery"})
    response = c.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # the form again, with an error
    assert c.get(reverse("moderation:home")).status_code == 302


def test_the_staff_link_shows_only_for_staff(client, bob_client, staff_client):
    url = reverse("moderation:home")
    assert url not in client.get("/").content.decode()
    assert url not in bob_client.get("/").content.decode()
    assert url in staff_client.get("/").content.decode()


def test_the_django_admin_asks_superusers_for_the_same_second_factor(db):
    root = make_user(email="root@example.com", is_superuser=True, is_staff=True)
    password_only = Client()
    password_only.force_login(root)  # signed in with the password, no TOTP step in this session
    response = password_only.get(reverse("admin:index"))
    assert response.status_code == 302
    response = password_only.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert password_only.get(reverse("admin:core_auditrecord_changelist")).status_code == 302
    # the admin's own password form does not get round it
    fresh = Client()
    fresh.post(reverse("admin:login"), {"username": "root@example.com", "password": "correct-horse-battery"})
    assert fresh.get(reverse("admin:index")).status_code == 302
    # a superuser without an authenticator is sent to set one up; a visitor to allauth's login
    no_totp = make_user(email="root2@example.com", is_superuser=True)
    c = Client()
    c.force_login(no_totp)
    assert c.get(reverse("admin:login")).headers["Location"].startswith(reverse("mfa_activate_totp"))
    assert Client().get(reverse("admin:login")).headers["Location"].startswith(reverse("account_login"))
    # after the TOTP step the admin opens
    from tests.factories import login_staff

    with_totp = Client()
    login_staff(with_totp, root)
    assert with_totp.get(reverse("admin:index")).status_code == 200
