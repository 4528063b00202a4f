"""A staff decision on a listing reaches its poster on the channels they chose."""

import pytest
from django.core import mail
from django.urls import reverse

from listings.models import Listing
from moderation import services
from notifications.models import Channel, Event, Preference
from tests.factories import make_listing
from tests.moderation.test_listings import _rules
from tests.notifications.push_service import Browser
from tests.stand_in import StandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_phone(settings, alice_client):
    settings.NOTICES = {**settings.NOTICES, "PUSH_HOSTS": ["127.0.0.1"]}
    with StandIn() as stand_in:
        browser = Browser(stand_in.url)
        alice_client.post(reverse("notifications:push_subscribe"), browser.subscription, content_type="application/json")
        yield stand_in, browser


def test_approval_is_pushed_and_emailed(alice, staff, alice_phone, django_capture_on_commit_callbacks):
    stand_in, browser = alice_phone
    _rules(staff, review_all=True)
    listing = make_listing(alice, title="青いソファ")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_approve(listing=listing, actor=staff)
    [push] = stand_in.received
    shown = browser.decrypt(push.body)
    assert "「青いソファ」" in shown["title"]
    assert shown["body"] == "公開されました。"
    assert shown["url"] == listing.get_absolute_url()
    assert len(mail.outbox) == 1


def test_a_resident_who_chose_push_only_gets_no_email(alice, staff, alice_phone, django_capture_on_commit_callbacks):
    stand_in, browser = alice_phone
    Preference.objects.create(user=alice, channels={Event.DECISION: [Channel.PUSH]})
    alice.notify_listings = False
    alice.save()
    listing = make_listing(alice, title="青いソファ")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_hide(listing=listing, actor=staff, reason="住所が写っています")
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.HIDDEN
    assert browser.decrypt(stand_in.received[0].body)["body"] == "職員が公開を止めました。開いて理由をご確認ください。"
    assert mail.outbox == []
