"""Webhooks: events for listing changes, signed and delivered to a real HTTP server on 127.0.0.1,
retried with backoff, logged, and managed by staff.

The immediate task backend runs a delivery inside the on_commit callback that enqueues it, so the
tests wrap changes in `django_capture_on_commit_callbacks(execute=True)`.
"""

import json
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition, listing_update
from mirror import webhooks
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import listing_data, make_listing

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


# --- A real receiver --------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """An HTTP server on 127.0.0.1 (port 0: the OS picks one) that records every request and
    answers from a script: an int is a status code, a float is seconds to sleep before answering
    200. When the script runs out it answers 200."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[int | float] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    step = receiver.script.pop(0) if receiver.script else 200
                if isinstance(step, float):
                    time.sleep(step)
                    step = 200
                try:
                    self.send_response(step)
                    if step in (301, 302, 307, 308):
                        self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting (timeout test)

            def log_message(self, format, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # a handler still sleeping must not hold up the test's end

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mottainai"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def events(self) -> list[dict]:
        return [request.json() for request in self.received]


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def endpoint(receiver):
    return webhooks.webhook_endpoint_create(url=receiver.url, description="区ホームページ")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (and so the immediate-backend deliveries) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _documented_verifier():
    """The Python verification example of docs/WEBHOOKS.md, run as written: the tests check
    every signature with it, so the ward's recipe cannot drift from what we send."""
    text = (Path(django_settings.BASE_DIR) / "docs" / "WEBHOOKS.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify_mottainai_signature"]


_verify = _documented_verifier()


def verify(*, header: str, body: bytes, secret: str) -> bool:
    return _verify(header, body, secret)


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


# --- Events and payloads ------------------------------------------------------------------------


def test_a_published_listing_reaches_the_endpoint_signed_with_the_documented_algorithm(alice, endpoint, receiver, deliver):
    with deliver():
        listing = make_listing(alice, photos=1)

    [request] = receiver.received
    assert request.path == "/hooks/mottainai"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Mottainai-Webhooks/1"
    assert verify(header=request.headers["Mottainai-Signature"], body=request.body, secret=endpoint.secret)
    assert not verify(header=request.headers["Mottainai-Signature"], body=request.body, secret="whsec_wrong")
    assert not verify(header=request.headers["Mottainai-Signature"], body=request.body + b" ", secret=endpoint.secret)

    event = WebhookEvent.objects.get()
    payload = request.json()
    assert request.headers["Mottainai-Event-Id"] == str(event.id) == payload["id"]
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


# --- Endpoints: on/off, filters, URLs -----------------------------------------------------------


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
    assert verify(header=by_path["/hooks/mottainai"].headers["Mottainai-Signature"], body=by_path["/hooks/mottainai"].body, secret=first.secret)
    second_request = by_path["/hooks/mottainai/second"]
    assert verify(header=second_request.headers["Mottainai-Signature"], body=second_request.body, secret=second.secret)


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
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    with deliver():
        make_listing(alice)

    [request] = receiver.received
    assert verify(header=request.headers["Mottainai-Signature"], body=request.body, secret=endpoint.secret)
    assert not verify(header=request.headers["Mottainai-Signature"], body=request.body, secret=old)


# --- Failures, retries, giving up ---------------------------------------------------------------


def test_a_failed_delivery_is_logged_and_succeeds_when_retried(alice, endpoint, receiver, deliver):
    receiver.script = [500]
    with deliver():
        make_listing(alice)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 1
    assert timedelta(seconds=50) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    [failure] = delivery.attempt_log.all()
    assert failure.status_code == 500
    assert failure.response_ms is not None

    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED  # not due yet: nothing sent
    assert len(receiver.received) == 1

    make_due(delivery)
    with deliver():
        call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
    first, second = receiver.received
    assert first.body == second.body  # the same event, signed afresh
    assert first.headers["Mottainai-Event-Id"] == second.headers["Mottainai-Event-Id"]


def test_the_wait_between_retries_doubles_up_to_six_hours():
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert webhooks.backoff(20) == timedelta(hours=6)


def test_a_receiver_slower_than_the_timeout_counts_as_a_failure(settings, alice, endpoint, receiver, deliver):
    settings.MIRROR_WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.script = [1.0]
    with deliver():
        make_listing(alice)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert "Timed out" in attempt.error
    assert 150 <= attempt.response_ms < 1000


def test_an_unreachable_receiver_counts_as_a_failure(alice, deliver):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_address[1]
    closed.server_close()  # nothing listens on this port any more
    webhooks.webhook_endpoint_create(url=f"http://127.0.0.1:{port}/")
    with deliver():
        make_listing(alice)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert "ConnectionError" in attempt.error


def test_redirects_are_not_followed(alice, endpoint, receiver, deliver):
    receiver.script = [302]
    with deliver():
        make_listing(alice)

    assert [request.path for request in receiver.received] == ["/hooks/mottainai"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.attempt_log.get().status_code == 302


def test_it_gives_up_when_the_next_retry_would_fall_outside_the_retry_window(settings, alice, endpoint, receiver, deliver):
    receiver.script = [500, 500]
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED

    # Almost a day later: the next wait would end past the 24 hours.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.MIRROR_WEBHOOK_RETRY_HOURS) + timedelta(seconds=30)
    )
    make_due(delivery)
    with deliver():
        call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.GAVE_UP
    assert delivery.next_attempt_at is None
    assert delivery.attempts == 2
    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))
    assert len(receiver.received) == 2  # given up: never sent again


def test_attempting_a_delivery_twice_sends_it_once(alice, endpoint, receiver, deliver):
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()

    assert webhooks.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1
    assert WebhookAttempt.objects.count() == 1


def test_a_pending_delivery_the_queue_missed_is_sent_by_the_command(alice, endpoint, receiver):
    make_listing(alice)  # outside deliver(): the on-commit enqueue never runs, like a queue outage
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    call_command("mirror_retry_webhooks", stdout=open("/dev/null", "w"))

    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED
    assert len(receiver.received) == 1


def test_a_delivery_to_an_endpoint_turned_off_meanwhile_is_not_sent(alice, endpoint, receiver):
    make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    webhooks.webhook_delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Status.GAVE_UP
    assert receiver.received == []


def test_no_delivery_happens_inside_the_transaction_that_changed_the_listing(alice, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_listing(alice)

    assert receiver.received == []  # nothing was sent inside the transaction
    for callback in callbacks:  # the delivery (and other apps' work) waits for the commit
        callback()
    assert len(receiver.received) == 1


# --- Staff pages --------------------------------------------------------------------------------

def test_staff_add_an_endpoint_and_see_its_secret(staff_client, receiver):
    response = staff_client.post(
        reverse("mirror_staff:endpoint_create"),
        {"url": receiver.url, "description": "区CMS", "events": ["listing.published", "listing.withdrawn"], "is_active": "on"},
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mirror_staff:endpoint_edit", args=[endpoint.pk])
    assert endpoint.events == ["listing.published", "listing.withdrawn"]
    assert endpoint.is_active
    page = staff_client.get(response["Location"])
    assert endpoint.secret in page.text


def test_staff_are_told_when_a_url_is_not_http(staff_client):
    response = staff_client.post(reverse("mirror_staff:endpoint_create"), {"url": "ftp://ward.example.jp/hooks"})

    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_staff_turn_an_endpoint_off_and_change_its_events(staff_client, endpoint):
    response = staff_client.post(
        reverse("mirror_staff:endpoint_edit", args=[endpoint.pk]),
        {"url": endpoint.url, "description": "", "events": ["listing.expired"]},
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.events == ["listing.expired"]


def test_staff_rotate_the_secret(staff_client, endpoint):
    old = endpoint.secret
    staff_client.post(reverse("mirror_staff:endpoint_rotate_secret", args=[endpoint.pk]))

    endpoint.refresh_from_db()
    assert endpoint.secret != old


def test_staff_delete_an_endpoint_with_its_log(staff_client, alice, endpoint, deliver):
    with deliver():
        make_listing(alice)
    response = staff_client.post(reverse("mirror_staff:endpoint_delete", args=[endpoint.pk]))

    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_log_shows_each_attempt_newest_delivery_first(staff_client, alice, endpoint, receiver, deliver):
    staff_client.cookies["django_language"] = "en"  # the assertions read the English wording
    receiver.script = [503]
    with deliver():
        listing = make_listing(alice)
        listing_transition(listing=listing, action=Action.RESERVE, actor=alice)

    response = staff_client.get(reverse("mirror_staff:delivery_list", args=[endpoint.pk]))

    deliveries = list(response.context["page"])
    assert [d.event.type for d in deliveries] == ["listing.reserved", "listing.published"]
    text = response.text
    assert "HTTP 503" in text and "HTTP 200" in text
    attempt = WebhookAttempt.objects.get(status_code=503)
    assert f"{attempt.response_ms} ms" in text


def test_staff_redeliver_an_event_from_the_log(staff_client, alice, endpoint, receiver, deliver):
    with deliver():
        make_listing(alice)
    original = WebhookDelivery.objects.get()

    with deliver():
        response = staff_client.post(reverse("mirror_staff:delivery_redeliver", args=[original.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mirror_staff:delivery_list", args=[endpoint.pk])
    again = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert again.event_id == original.event_id
    assert again.status == Status.SUCCEEDED
    first, second = receiver.received
    assert first.headers["Mottainai-Event-Id"] == second.headers["Mottainai-Event-Id"]
    assert verify(header=second.headers["Mottainai-Signature"], body=second.body, secret=endpoint.secret)


def test_redelivering_replaces_a_delivery_that_waits_for_its_retry(alice, endpoint, receiver, deliver):
    receiver.script = [500]
    with deliver():
        make_listing(alice)
    failed = WebhookDelivery.objects.get()

    with deliver():
        webhooks.webhook_delivery_redeliver(delivery=failed)

    failed.refresh_from_db()
    assert failed.status == Status.GAVE_UP
    assert WebhookDelivery.objects.exclude(pk=failed.pk).get().status == Status.SUCCEEDED


def test_redelivering_is_refused_while_the_event_is_still_on_its_way(staff_client, alice, endpoint, receiver):
    staff_client.cookies["django_language"] = "en"  # the assertions read the English wording
    make_listing(alice)  # not delivered yet: still pending
    pending = WebhookDelivery.objects.get()

    response = staff_client.post(reverse("mirror_staff:delivery_redeliver", args=[pending.pk]), follow=True)

    assert WebhookDelivery.objects.count() == 1
    assert "already on its way" in response.text


def test_redelivering_to_an_endpoint_that_is_off_is_refused(alice, endpoint, deliver):
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    with pytest.raises(ValidationError):
        webhooks.webhook_delivery_redeliver(delivery=delivery)


def test_the_documented_verifier_refuses_an_old_timestamp():
    body = b'{"id":"x"}'
    old = int(time.time()) - 301
    header = f"t={old},v1={webhooks.webhook_signature(secret='whsec_s', timestamp=old, body=body)}"
    assert not verify(header=header, body=body, secret="whsec_s")
    fresh = int(time.time())
    header = f"t={fresh},v1={webhooks.webhook_signature(secret='whsec_s', timestamp=fresh, body=body)}"
    assert verify(header=header, body=body, secret="whsec_s")
    assert not verify(header="garbage", body=body, secret="whsec_s")


def test_a_webhook_failure_does_not_stop_the_listing_change(alice, endpoint, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("webhook tables unavailable")

    monkeypatch.setattr("mirror.receivers.webhook_event_record", broken)
    listing = make_listing(alice)

    assert listing.status == Listing.Status.PUBLISHED
