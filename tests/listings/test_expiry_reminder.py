"""The reminder LISTING_EXPIRY_REMINDER_DAYS before a listing expires: once a period, with the renew link."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from listings.models import Listing
from listings.services import listing_renew
from tests.factories import make_listing


def _expires_in(listing: Listing, delta: timedelta) -> None:
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + delta)


def _run_daily(capture) -> list:
    mail.outbox.clear()
    with capture(execute=True):
        call_command("expire_listings", stdout=io.StringIO())
    return list(mail.outbox)


@pytest.mark.django_db
def test_the_owner_is_reminded_three_days_before_expiry_with_the_renew_link(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.LISTING_EXPIRY_REMINDER_DAYS = 3
    settings.SITE_URL = "https://mottainai.example.jp"
    soon, later = make_listing(alice, title="本棚 & 棚板"), make_listing(alice, title="机")
    _expires_in(soon, timedelta(days=3, hours=-1))
    _expires_in(later, timedelta(days=3, hours=1))
    sent = _run_daily(django_capture_on_commit_callbacks)
    assert len(sent) == 1
    email = sent[0]
    assert email.to == ["alice@example.com"]
    assert "まもなく終了" in email.subject
    assert "本棚 & 棚板" in email.body and "机" not in email.body
    assert f"https://mottainai.example.jp{soon.get_absolute_url()}" in email.body
    assert "「掲載を延長」" in email.body


@pytest.mark.django_db
def test_the_renew_link_opens_a_page_with_the_renew_button(alice, settings, client, django_capture_on_commit_callbacks):
    settings.LISTING_EXPIRY_REMINDER_DAYS = 3
    listing = make_listing(alice)
    _expires_in(listing, timedelta(days=2))
    (email,) = _run_daily(django_capture_on_commit_callbacks)
    path = email.body.split(settings.SITE_URL, 1)[1].split()[0]
    client.force_login(alice)
    page = client.get(path).content.decode()
    assert f"/listings/{listing.pk}/renew/" in page and "掲載を延長" in page


@pytest.mark.django_db
def test_a_listing_is_reminded_once_per_period_and_again_after_renewal(
    alice, settings, clock, django_capture_on_commit_callbacks
):
    settings.LISTING_EXPIRY_REMINDER_DAYS = 3
    settings.LISTING_EXPIRY_DAYS = 90
    listing = make_listing(alice)
    _expires_in(listing, timedelta(days=3))
    assert len(_run_daily(django_capture_on_commit_callbacks)) == 1
    clock.shift(timedelta(days=1))
    assert _run_daily(django_capture_on_commit_callbacks) == []  # not twice
    renewed = listing_renew(listing=Listing.objects.get(pk=listing.pk), actor=alice)
    assert renewed.expires_at > timezone.now() + timedelta(days=80)
    assert _run_daily(django_capture_on_commit_callbacks) == []  # the new period is far from its end
    clock.move_to(renewed.expires_at - timedelta(days=2))
    sent = _run_daily(django_capture_on_commit_callbacks)
    assert len(sent) == 1 and sent[0].to == ["alice@example.com"]


@pytest.mark.django_db
def test_owners_who_turned_listing_emails_off_get_no_reminder(alice, bob, settings, django_capture_on_commit_callbacks):
    settings.LISTING_EXPIRY_REMINDER_DAYS = 3
    User.objects.filter(pk=bob.pk).update(notify_listings=False)
    _expires_in(make_listing(alice), timedelta(days=1))
    _expires_in(make_listing(bob, title="椅子"), timedelta(days=1))
    sent = _run_daily(django_capture_on_commit_callbacks)
    assert [email.to for email in sent] == [["alice@example.com"]]


@pytest.mark.django_db
def test_an_owner_gets_one_reminder_for_several_listings(alice, settings, django_capture_on_commit_callbacks):
    settings.LISTING_EXPIRY_REMINDER_DAYS = 3
    first, second = make_listing(alice, title="本棚"), make_listing(alice, title="椅子")
    _expires_in(first, timedelta(days=1))
    _expires_in(second, timedelta(days=2))
    (email,) = _run_daily(django_capture_on_commit_callbacks)
    assert "本棚" in email.body and "椅子" in email.body and "2件" in email.subject
