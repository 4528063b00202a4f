"""Who may open staff pages: every staff URL as visitor, resident and staff (with and without 2FA)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import STAFF_GROUP
from tests.factories import STAFF_TOTP_SECRET, make_user

STAFF_NAMESPACES = {"moderation", "community_staff", "mirror_staff"}


def _staff_urls() -> list[str]:
    urls = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in STAFF_NAMESPACES:
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                kwargs = {name: 1 for name in pattern.pattern.converters}
                urls.append(reverse(f"{entry.namespace}:{pattern.name}", kwargs=kwargs))
    return urls


STAFF_URLS = _staff_urls()


def test_the_staff_url_list_is_complete():
    assert len(STAFF_URLS) >= 20
    assert all(url.startswith("/staff/") for url in STAFF_URLS)


@pytest.mark.parametrize("url", STAFF_URLS)
def test_every_staff_url_refuses_everyone_but_staff(url, client, bob_client, staff_client, db):
    assert client.get(url).status_code == 302 and "/auth/login/" in client.get(url)["Location"]
    assert bob_client.get(url).status_code == 403
    flag_only = make_user(email="flag@example.com")
    flag_only.is_staff = True  # Django's flag alone is not the staff role
    flag_only.save()
    c = Client()
    c.force_login(flag_only)
    assert c.get(url).status_code == 403
    if url == reverse("moderation:audit_log_csv"):
        assert staff_client.get(url).status_code == 403  # superusers only
        return
    assert staff_client.get(url).status_code in (200, 302, 404, 405)
    assert staff_client.get(url).status_code != 302 or "/auth/" not in staff_client.get(url)["Location"]


def test_staff_without_an_authenticator_are_sent_to_set_one_up(db):
    user = make_user(email="newstaff@example.com")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    c = Client()
    c.force_login(user)
    response = c.get(reverse("moderation:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_session_that_skipped_the_second_factor_must_reauthenticate(staff):
    c = Client()
    c.force_login(staff)  # password only
    response = c.get(reverse("moderation:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))


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


def test_djangos_admin_is_for_superusers_only(staff_client, db):
    assert staff_client.get("/admin/").status_code == 302  # to the admin login: staff are not let in
    from tests.factories import login_staff

    superuser = make_user(email="root@example.com", is_superuser=True, is_staff=True)
    c = Client()
    login_staff(c, superuser)  # with the TOTP step, like the staff console
    assert c.get("/admin/").status_code == 200


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
