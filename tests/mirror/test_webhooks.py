"""Webhooks: events for listing changes, signed and delivered to a real HTTP server on 127.0.0.1
(tests/mirror/webhook_receiver.py); the endpoints and what each receives.

The immediate task backend runs a delivery inside the on_commit callback that enqueues it, so the
tests wrap changes in `deliver()` (`django_capture_on_commit_callbacks(execute=True)`).
Retries are in test_webhook_retries.py, the staff pages in test_webhook_pages.py.
"""

import base64
import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition, listing_update
from mirror import webhooks
from mirror.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import listing_data, make_listing
from tests.mirror.webhook_receiver import documented_verifier, verify

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


# --- Events and payloads ----------------------------------------------------------------------


def test_a_published_listing_reaches_the_endpoint_signed_by_standard_webhooks(alice, endpoint, receiver, deliver):
    with deliver():
        listing = make_listing(alice, photos=1)

    [request] = receiver.received
    assert request.path == "/hooks/mottainai"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Mottainai-Webhooks/1"
    assert "Mottainai-Signature" not in request.headers  # the old scheme is gone
    assert request.headers["webhook-signature"].startswith("v1,")
    assert verify(request, secret=endpoint.secret)
    assert not verify(request, secret=webhooks.new_secret())
    assert not verify(request, secret=endpoint.secret, body=request.body + b" ")

    event = WebhookEvent.objects.get()
    payload = request.json()
    assert request.headers["webhook-id"] == str(event.id) == payload["id"]
    assert request.headers["Mottainai-Event-Type"] == "listing.published" == payload["type"]
    assert payload["created_at"].endswith("+09:00")
    assert payload["sequence"] == 1
    assert payload["listing"]["id"] == listing.pk
    assert payload["listing"]["title"] == "木製の本棚"
    assert payload["listing"]["status"] == "published"
    assert len(payload["listing"]["photos"]) == 1
    assert "木製の本棚".encode() in request.body  # UTF-8 as is, not \u escapes

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.SUCCEEDED
    assert delivery.delivered_at is not None
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code == 200
    assert attempt.response_ms is not None


def test_events_for_one_listing_carry_increasing_sequence_numbers_in_order(alice, endpoint, receiver, deliver):
    with deliver():
        listing = make_listing(alice)
        listing_update(listing=listing, actor=alice, data=listing_data(title="白い本棚"))
        listing_transition(listing=listing, action=Action.RESERVE, actor=alice)
        listing_transition(listing=listing, action=Action.RELEASE, actor=alice)
        listing_transition(listing=listing, action=Action.HAND_OVER, actor=alice)

    events = receiver.events()
    assert [e["type"] for e in events] == [
        "listing.published",
        "listing.updated",
        "listing.reserved",
        "listing.updated",
        "listing.handed_over",
    ]
    assert [e["sequence"] for e in events] == [1, 2, 3, 4, 5]
    assert events[1]["listing"]["title"] == "白い本棚"
    assert events[2]["listing"]["status"] == "reserved"


def test_sequence_numbers_are_counted_per_listing(alice, endpoint, receiver, deliver):
    with deliver():
        first = make_listing(alice)
        second = make_listing(alice)
        listing_transition(listing=first, action=Action.WITHDRAW, actor=alice)

    assert [(e["listing"]["id"], e["sequence"]) for e in receiver.events()] == [(first.pk, 1), (second.pk, 1), (first.pk, 2)]


def test_the_payload_never_contains_the_posters_identity(alice, endpoint, receiver, deliver):
    with deliver():
        listing = make_listing(alice, photos=1)
        listing_transition(listing=listing, action=Action.RESERVE, actor=alice)

    for request in receiver.received:
        text = request.body.decode()
        for personal in (alice.email, alice.display_name, alice.postal_code, "owner"):
            assert personal not in text


def test_an_event_for_a_listing_that_left_the_public_view_carries_only_its_id(alice, endpoint, receiver, deliver):
    listing = make_listing(alice)
    with deliver():
        listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)

    [event] = receiver.events()
    assert event["type"] == "listing.withdrawn"
    assert event["listing"] == {"id": listing.pk}


@pytest.mark.parametrize(
    "action,event_type",
    [
        (Action.EXPIRE, "listing.expired"),
        (Action.REJECT, "listing.rejected"),
        (Action.HAND_OVER, "listing.handed_over"),
        (Action.RESUBMIT, "listing.hidden"),  # edited back into staff review
    ],
)
def test_each_closing_action_sends_its_event_with_the_id_only(alice, staff, endpoint, receiver, deliver, action, event_type):
    listing = make_listing(alice)
    with deliver():
        listing_transition(listing=listing, action=action, actor=staff)

    [event] = receiver.events()
    assert event["type"] == event_type
    assert event["listing"] == {"id": listing.pk}


def test_the_hidden_event_for_moderation_carries_only_the_id(alice, endpoint, receiver, deliver):
    listing = make_listing(alice)
    with deliver():
        event = webhooks.webhook_event_record(listing=listing, type="listing.hidden")

    assert receiver.events() == [event.payload]
    assert event.payload["listing"] == {"id": listing.pk}


def test_a_listing_that_was_never_public_sends_nothing(alice, endpoint, receiver, deliver):
    with deliver():
        draft = make_listing(alice, publish=False)
        listing_transition(listing=draft, action=Action.WITHDRAW, actor=alice)

    assert receiver.received == []
    assert not WebhookEvent.objects.exists()


def test_review_sends_nothing_until_staff_approve(settings, alice, staff, endpoint, receiver, deliver):
    settings.LISTING_PREMODERATION = True
    with deliver():
        listing = make_listing(alice)
    assert listing.status == Listing.Status.PENDING
    assert receiver.received == []

    with deliver():
        listing_transition(listing=listing, action=Action.APPROVE, actor=staff)
    assert [e["type"] for e in receiver.events()] == ["listing.published"]


def test_editing_a_listing_that_is_not_public_sends_nothing(alice, endpoint, receiver, deliver):
    listing = make_listing(alice)
    listing_transition(listing=listing, action=Action.EXPIRE)
    with deliver():
        listing_update(listing=listing, actor=alice, data=listing_data(title="まだある本棚"))

    assert receiver.received == []


def test_an_unknown_event_type_is_refused(alice, endpoint):
    with pytest.raises(ValueError):
        webhooks.webhook_event_record(listing=make_listing(alice), type="listing.sold")


def test_a_webhook_failure_does_not_stop_the_listing_change(alice, endpoint, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("webhook tables unavailable")

    monkeypatch.setattr("mirror.receivers.webhook_event_record", broken)
    listing = make_listing(alice)

    assert listing.status == Listing.Status.PUBLISHED


# --- Endpoints: on/off, filters, URLs, secrets ------------------------------------------------


def test_a_disabled_endpoint_receives_nothing(alice, endpoint, receiver, deliver):
    webhooks.webhook_endpoint_update(endpoint=endpoint, url=endpoint.url, description="", events=[], is_active=False)
    with deliver():
        make_listing(alice)

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_receives_only_the_events_it_chose(alice, receiver, deliver):
    webhooks.webhook_endpoint_create(url=receiver.url, events=["listing.reserved"])
    with deliver():
        listing = make_listing(alice)
        listing_transition(listing=listing, action=Action.RESERVE, actor=alice)

    assert [e["type"] for e in receiver.events()] == ["listing.reserved"]


def test_each_endpoint_gets_its_own_signature(alice, receiver, deliver):
    first = webhooks.webhook_endpoint_create(url=receiver.url)
    second = webhooks.webhook_endpoint_create(url=receiver.url + "/second")
    with deliver():
        make_listing(alice)

    by_path = {request.path: request for request in receiver.received}
    assert verify(by_path["/hooks/mottainai"], secret=first.secret)
    assert not verify(by_path["/hooks/mottainai"], secret=second.secret)
    assert verify(by_path["/hooks/mottainai/second"], secret=second.secret)


@pytest.mark.parametrize("url", ["ftp://ward.example.jp/hooks", "file:///etc/passwd", "javascript:alert(1)", "not a url"])
def test_it_refuses_endpoint_urls_that_are_not_http(url):
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_create(url=url)
    assert not WebhookEndpoint.objects.exists()


def test_it_refuses_unknown_event_types_for_an_endpoint(receiver):
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_create(url=receiver.url, events=["listing.sold"])


def test_rotating_the_secret_signs_the_next_deliveries_with_the_new_one(alice, endpoint, receiver, deliver):
    old = endpoint.secret
    webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)
    assert endpoint.secret != old
    with deliver():
        make_listing(alice)

    [request] = receiver.received
    assert verify(request, secret=endpoint.secret)
    assert not verify(request, secret=old)


def test_a_secret_is_whsec_and_32_random_bytes_in_base64():
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert webhooks.new_secret() != secret


def test_the_documented_python_receiver_accepts_a_delivery_and_refuses_a_replay(alice, endpoint, receiver, deliver, clock):
    verify_mottainai_webhook = documented_verifier()
    with deliver():
        make_listing(alice)
    [request] = receiver.received

    assert verify_mottainai_webhook(request.body, request.headers, endpoint.secret) == request.json()
    assert verify_mottainai_webhook(request.body + b" ", request.headers, endpoint.secret) is None
    assert verify_mottainai_webhook(request.body, {**request.headers, "webhook-signature": "garbage"}, endpoint.secret) is None
    clock.shift(timedelta(minutes=6))  # the same request replayed later
    assert verify_mottainai_webhook(request.body, request.headers, endpoint.secret) is None


def test_the_signature_is_the_hmac_the_php_recipe_computes_by_hand(alice, endpoint, receiver, deliver):
    """docs/WEBHOOKS.md's PHP receiver: base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>",
    keyed with the base64-decoded part of the secret after "whsec_"."""
    with deliver():
        make_listing(alice)
    [request] = receiver.received

    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"
