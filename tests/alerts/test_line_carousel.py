"""Saved-search alerts on LINE: to the linked LINE user first, an instant alert as a carousel of
its listings (notifications.line_carousel), through LINE's SDK."""

from dataclasses import replace

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core import mail

from alerts import services
from alerts.models import SavedSearch
from notifications.models import LineLink
from tests.alerts.test_notify import ALICE_UID, NOTICE, deliver, line_api  # noqa: F401 (fixture)
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

LINKED_UID = "U" + "f" * 32
CARD = {"title": "木製の本棚", "price": "無料", "town": "銀座", "image_url": "https://example.org/a.jpg", "url": "https://example.org/listings/1/"}


def test_the_linked_line_user_is_used_before_the_line_login(line_api, alice):
    SocialAccount.objects.create(user=alice, provider="line", uid=ALICE_UID)
    LineLink.objects.create(user=alice, line_user_id=LINKED_UID)

    assert deliver(user=alice, notice=NOTICE, channel="line") == "line"

    assert line_api.received[0].json()["to"] == LINKED_UID


def test_a_notice_with_cards_is_a_text_and_a_carousel(line_api, alice):
    LineLink.objects.create(user=alice, line_user_id=LINKED_UID)

    assert deliver(user=alice, notice=replace(NOTICE, cards=(CARD,) * 14), channel="line") == "line"

    text, carousel = line_api.received[0].json()["messages"]
    assert text["text"].startswith(NOTICE.subject) and NOTICE.unsubscribe_url in text["text"]
    assert carousel["type"] == "flex" and carousel["altText"] == NOTICE.subject
    bubbles = carousel["contents"]["contents"]
    assert len(bubbles) == 12  # LINE's most
    assert [part["text"] for part in bubbles[0]["body"]["contents"]] == ["木製の本棚", "無料", "銀座"]


def test_an_instant_alert_shows_the_new_listing_as_a_carousel(line_api, alice, bob, django_capture_on_commit_callbacks):
    LineLink.objects.create(user=bob, line_user_id=LINKED_UID)
    saved = services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.INSTANT)
    SavedSearch.objects.filter(pk=saved.pk).update(channel="line")
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(alice, title="木製の本棚", price=1000)  # matched and alerted as it is published

    [push] = [r for r in line_api.received if r.json()["to"] == LINKED_UID]
    [bubble] = push.json()["messages"][1]["contents"]["contents"]
    assert [part["text"] for part in bubble["body"]["contents"]] == ["木製の本棚", "¥1,000", "銀座"]
    assert bubble["action"]["uri"] == f"{settings.SITE_URL}/listings/{listing.pk}/"
    assert alice.email not in push.body.decode() and not mail.outbox
