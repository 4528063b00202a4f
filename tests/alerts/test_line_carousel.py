"""Saved-search alerts on LINE: an instant alert is a short text and a carousel of its listings
(notifications.line_carousel), pushed through LINE's SDK to the resident's linked LINE user."""

from dataclasses import replace

import pytest
from django.conf import settings
from django.core import mail

from alerts import services
from alerts.models import SavedSearch
from tests.alerts.conftest import on_line
from tests.alerts.test_notify import NOTICE, deliver
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

CARD = {"title": "木製の本棚", "price": "無料", "town": "銀座", "image_url": "https://example.org/a.jpg", "url": "https://example.org/listings/1/"}


def test_a_notice_with_cards_is_a_text_and_a_carousel(line_api, alice):
    on_line(alice)

    assert deliver(alice, replace(NOTICE, cards=(CARD,) * 14)) == {"line"}

    text, carousel = line_api.received[0].json()["messages"]
    assert text["text"].startswith(NOTICE.subject) and NOTICE.unsubscribe_url in text["text"]
    assert carousel["type"] == "flex" and carousel["altText"] == NOTICE.subject
    bubbles = carousel["contents"]["contents"]
    assert len(bubbles) == 12  # LINE's most
    assert [part["text"] for part in bubbles[0]["body"]["contents"]] == ["木製の本棚", "無料", "銀座"]


def test_an_instant_alert_shows_the_new_listing_as_a_carousel(line_api, alice, bob, django_capture_on_commit_callbacks):
    uid = on_line(bob)
    services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.INSTANT)
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(alice, title="木製の本棚", price=1000)  # matched and alerted as it is published

    [push] = [r for r in line_api.received if r.json()["to"] == uid]
    [bubble] = push.json()["messages"][1]["contents"]["contents"]
    assert [part["text"] for part in bubble["body"]["contents"]] == ["木製の本棚", "¥1,000", "銀座"]
    assert bubble["action"]["uri"] == f"{settings.SITE_URL}/listings/{listing.pk}/"
    assert alice.email not in push.body.decode() and not mail.outbox
