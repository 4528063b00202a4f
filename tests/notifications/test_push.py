"""Web Push as a resident gets it: subscribe a device, get each notice encrypted for that device,
lose nothing when the push service fails, hear nothing twice, nothing during quiet hours."""

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Event, PushSubscription
from notifications.services import Notice, deliveries_due_send, notice_send
from notifications.tasks import deliver
from tests.notifications.push_service import Browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """notice_send, then what it queued for after commit (pushes, emails, retries), as on the site."""

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notice_send(**kwargs)

    return send


def subscribe(client, browser: Browser, device: str = "Chrome / Android"):
    return client.post(
        reverse("notifications:push_subscribe"), {**browser.subscription, "device": device}, content_type="application/json"
    )


def notice(key="reserved:1", event=Event.RESERVED) -> Notice:
    return Notice(event=event, key=key, title="取り置きされました", body="「青いソファ」があなたに取り置きされました。", path="/messages/12/")


def test_a_subscribed_device_gets_the_notice_encrypted_for_it(alice, alice_client, push_service, send):
    browser = Browser(push_service.url)
    assert subscribe(alice_client, browser).status_code == 201

    assert send(user=alice, notice=notice()) == {"email", "push"}

    [push] = push_service.received
    assert push.path == "/push/phone"
    headers = {name.lower(): value for name, value in push.headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(48 * 3600)
    assert headers["urgency"] == "normal"
    assert headers["authorization"].startswith("vapid t=")
    shown = browser.decrypt(push.body)
    assert shown["title"] == "取り置きされました"
    assert shown["body"] == "「青いソファ」があなたに取り置きされました。"
    assert shown["url"] == "/messages/12/"
    assert shown["off_label"] == "この端末の通知をオフにする"
    # The notification's own "off" button turns push off for that device, without a session.
    assert alice_client.logout() is None
    assert alice_client.post(shown["off_url"]).status_code == 204
    assert not PushSubscription.objects.exists()


def test_every_device_of_the_resident_gets_it(alice, alice_client, push_service, send):
    phone, laptop = Browser(push_service.url, "phone"), Browser(push_service.url, "laptop")
    subscribe(alice_client, phone)
    subscribe(alice_client, laptop, "Firefox / Windows")
    send(user=alice, notice=notice())
    assert sorted(push.path for push in push_service.received) == ["/push/laptop", "/push/phone"]


def test_a_device_the_push_service_forgot_is_removed_and_email_tells_instead(alice, alice_client, push_service, settings, send):
    subscribe(alice_client, Browser(push_service.url))
    push_service.script = [410]
    # Push only for this event: the email is the fallback, not the resident's choice.
    send(user=alice, notice=notice(key="pickup:1", event=Event.PICKUP))
    assert not PushSubscription.objects.exists()
    assert [message.subject for message in mail.outbox] == [settings.EMAIL_SUBJECT_PREFIX + "取り置きされました"]
    assert Delivery.objects.get(channel="push").status == "failed"


def test_a_busy_push_service_is_tried_again(alice, alice_client, push_service, send):
    subscribe(alice_client, Browser(push_service.url))
    push_service.script = [503, 429]  # the immediate task backend runs each retry at once
    send(user=alice, notice=notice())
    assert len(push_service.received) == 3
    assert Delivery.objects.get(channel="push").status == "sent"
    assert PushSubscription.objects.count() == 1


def test_a_task_run_twice_pushes_once(alice, alice_client, push_service, send):
    subscribe(alice_client, Browser(push_service.url))
    send(user=alice, notice=notice())
    delivery = Delivery.objects.get(channel="push")
    deliver.enqueue(delivery_id=delivery.pk)  # the worker died after sending and runs it again
    send(user=alice, notice=notice())  # the caller's own task ran twice
    assert len(push_service.received) == 1
    assert len(mail.outbox) == 1


def test_quiet_hours_hold_pushes_until_they_end(alice, alice_client, push_service, clock, send):
    subscribe(alice_client, Browser(push_service.url))
    clock.move_to(timezone.localtime().replace(hour=23, minute=30))
    send(user=alice, notice=notice())
    assert push_service.received == []
    assert len(mail.outbox) == 1  # email is not held
    clock.move_to(timezone.localtime().replace(hour=6, minute=59) + datetime.timedelta(days=1))
    assert deliveries_due_send() == 0
    clock.shift(datetime.timedelta(minutes=1))
    assert deliveries_due_send() == 1
    assert len(push_service.received) == 1


@pytest.mark.parametrize("endpoint", [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/push",
    "https://user:pw@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com.attacker.example/x",
    "ftp://fcm.googleapis.com/x",
])
def test_the_site_posts_only_to_browser_push_services(alice_client, endpoint):
    browser = Browser("https://fcm.googleapis.com")
    response = alice_client.post(
        reverse("notifications:push_subscribe"), {**browser.subscription, "endpoint": endpoint}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("body", [b"", b"[]", b"{\"endpoint\": 5}", b"\xff\xfe", b"{" + b" " * 10000 + b"}"])
def test_a_broken_subscription_is_refused_clearly(alice_client, body):
    response = alice_client.post(reverse("notifications:push_subscribe"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_the_same_browser_signing_in_as_someone_else_moves_its_subscription(alice_client, bob_client, bob, push_service):
    browser = Browser(push_service.url)
    subscribe(alice_client, browser)
    subscribe(bob_client, browser)
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [bob.pk]


def test_turning_push_off_on_this_device(alice_client, push_service):
    browser = Browser(push_service.url)
    subscribe(alice_client, browser)
    response = alice_client.post(
        reverse("notifications:push_unsubscribe"), json.dumps({"endpoint": browser.endpoint}), content_type="application/json"
    )
    assert response.json() == {"ok": True}
    assert not PushSubscription.objects.exists()
