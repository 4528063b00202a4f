"""Residents read dates as 「12月5日(木) 15:00」 (the year only when it is not this year's), on pages
and in emails, never as 2030-12-05 15:00."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse

from listings.models import Listing
from messaging.services.handover import reservation_create
from messaging.services.pickup import pickup_accept, pickup_propose, pickup_reminder_send
from tests.factories import make_listing

TOKYO = ZoneInfo("Asia/Tokyo")


def test_the_pickup_time_reads_as_a_day_and_time_on_the_page_and_in_the_reminder(
    clock, alice, bob, alice_client, conversation, django_capture_on_commit_callbacks
):
    clock.move_to(datetime(2030, 12, 4, 10, 0, tzinfo=TOKYO))
    alice_client.force_login(alice)  # a fresh session at the new time
    reservation = reservation_create(conversation=conversation, actor=alice)
    when = datetime(2030, 12, 5, 15, 0, tzinfo=TOKYO)
    pickup_propose(reservation=reservation, actor=alice, when=when)
    pickup_accept(reservation=reservation, actor=bob)

    page = alice_client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "<strong>12月5日(木) 15:00</strong>" in page  # the agreed time in the handover panel
    assert "受け渡し日時が確定しました：12月5日(木) 15:00。" in page  # the event line
    assert "2030-12-05" not in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pickup_reminder_send(reservation_id=reservation.pk, pickup_at=when.isoformat())
    assert all("12月5日(木) 15:00" in email.body and "2030-12-05" not in email.body for email in mail.outbox)
    assert len(mail.outbox) == 2


def test_a_listings_expiry_next_year_shows_the_year(alice, client, clock):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))  # 2031 is next year, whatever TEST_CLOCK says
    listing = make_listing(alice)
    Listing.objects.filter(pk=listing.pk).update(expires_at=datetime(2031, 3, 3, 12, 0, tzinfo=TOKYO))

    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert "2031年3月3日(月)</time>" in page and "2031-03-03</time>" not in page

    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert "Mon 3 Mar 2031</time>" in page
