"""Expiry: owners who asked for listing emails are told, once per run; renewal opens near the end."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.dates import format_day
from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_renew, listing_transition, listings_expire
from tests.factories import make_listing


def _past_expiry(*listings: Listing) -> None:
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(expires_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.django_db
def test_expiry_emails_each_owner_once_with_all_their_expired_listings_after_commit(
    alice, bob, django_capture_on_commit_callbacks
):
    shelf, desk = make_listing(alice, title="本棚 & 棚板"), make_listing(alice, title="机")
    bobs = make_listing(bob, title="椅子")
    fresh = make_listing(alice, title="まだ新しい")
    _past_expiry(shelf, desk, bobs)
    User.objects.filter(pk=bob.pk).update(notify_listings=False)  # Bob turned listing emails off
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert listings_expire() == 3
    assert mail.outbox == []  # nothing is sent while the expiry runs
    with django_capture_on_commit_callbacks(execute=True):  # the email task queues the email on commit too
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    assert "掲載期間" in email.subject
    assert "本棚 & 棚板" in email.body and "机" in email.body  # plain text, not HTML-escaped
    assert fresh.title not in email.body and "椅子" not in email.body
    assert f"http://127.0.0.1:8000{shelf.get_absolute_url()}" in email.body
    assert f"http://127.0.0.1:8000{reverse('listings:mine')}" in email.body
    assert "「延長」" in email.body or "掲載を延長" in email.body


@pytest.mark.django_db
def test_a_listing_renewed_before_the_email_goes_out_is_not_mentioned(alice, django_capture_on_commit_callbacks):
    listing = make_listing(alice)
    _past_expiry(listing)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listings_expire()
    listing_renew(listing=Listing.objects.get(pk=listing.pk), actor=alice)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_fresh_listing_cannot_be_renewed_and_the_reason_names_the_date(alice, settings):
    settings.LISTING_RENEW_WINDOW_DAYS = 14
    listing = make_listing(alice)
    with pytest.raises(ValidationError) as error:
        listing_renew(listing=listing, actor=alice)
    opens = format_day(listing.expires_at - timedelta(days=14))  # e.g. 8月27日(火)
    assert error.value.code == "renew_too_early" and opens in error.value.messages[0]
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=13))
    renewed = listing_renew(listing=Listing.objects.get(pk=listing.pk), actor=alice)
    assert renewed.expires_at > timezone.now() + timedelta(days=80)


@pytest.mark.django_db
def test_an_expired_listing_can_always_be_renewed(alice):
    listing = make_listing(alice)
    _past_expiry(listing)
    listings_expire()
    assert listing_renew(listing=Listing.objects.get(pk=listing.pk), actor=alice).status == Listing.Status.PUBLISHED


@pytest.mark.django_db
def test_renew_is_offered_only_near_expiry(alice_client, alice):
    fresh = make_listing(alice, title="新しい")
    ending = make_listing(alice, title="もうすぐ期限")
    Listing.objects.filter(pk=ending.pk).update(expires_at=timezone.now() + timedelta(days=3))
    page = alice_client.get(reverse("listings:mine")).content.decode()
    assert reverse("listings:act", args=[ending.pk, "renew"]) in page
    assert reverse("listings:act", args=[fresh.pk, "renew"]) not in page
    assert reverse("listings:act", args=[fresh.pk, "renew"]) not in alice_client.get(fresh.get_absolute_url()).content.decode()
    assert reverse("listings:act", args=[ending.pk, "renew"]) in alice_client.get(ending.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_renewing_a_fresh_listing_through_the_page_is_refused_with_the_reason(alice_client, alice):
    listing = make_listing(alice)
    before = listing.expires_at
    response = alice_client.post(reverse("listings:act", args=[listing.pk, "renew"]), follow=True)
    assert any("延長できます" in str(m) for m in response.context["messages"])
    listing.refresh_from_db()
    assert listing.expires_at == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.WITHDRAW, Action.HAND_OVER])
def test_a_closed_listing_shows_no_edit_or_expiry_and_its_edit_page_says_why(alice_client, alice, action):
    listing = make_listing(alice)
    listing_transition(listing=listing, action=action, actor=alice)
    page = alice_client.get(listing.get_absolute_url()).content.decode()
    assert reverse("listings:edit", args=[listing.pk]) not in page
    assert "掲載期限" not in page
    response = alice_client.get(reverse("listings:edit", args=[listing.pk]))
    assert response.status_code == 302 and response.url == listing.get_absolute_url()
    page = alice_client.get(response.url).content.decode()
    assert "この出品は終了しているため、編集できません。" in page


@pytest.mark.django_db
def test_an_open_listing_still_shows_edit_and_expiry_to_its_owner(alice_client, alice):
    listing = make_listing(alice)
    page = alice_client.get(listing.get_absolute_url()).content.decode()
    assert reverse("listings:edit", args=[listing.pk]) in page and "掲載期限" in page
    assert alice_client.get(reverse("listings:edit", args=[listing.pk])).status_code == 200


@pytest.mark.django_db
def test_marking_handed_over_asks_for_confirmation_first(alice_client, alice):
    listing = make_listing(alice)
    page = alice_client.post(reverse("listings:act", args=[listing.pk, "hand_over"])).content.decode()
    assert "この品物を受け渡し完了にしますか？" in page and "はい、受け渡し完了にする" in page
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.PUBLISHED
