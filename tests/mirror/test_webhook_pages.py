"""The staff pages for webhooks (moderation/webhook_views.py): who may open them, endpoints,
the delivery log and redelivery."""

import pytest
from django.urls import reverse

from listings.lifecycle import Action
from listings.services import listing_transition
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import make_listing
from tests.mirror.webhook_receiver import verify

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


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
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert verify(second, secret=endpoint.secret)


def test_redelivering_is_refused_while_the_event_is_still_on_its_way(staff_client, alice, endpoint, receiver):
    staff_client.cookies["django_language"] = "en"  # the assertions read the English wording
    make_listing(alice)  # not delivered yet: still pending
    pending = WebhookDelivery.objects.get()

    response = staff_client.post(reverse("mirror_staff:delivery_redeliver", args=[pending.pk]), follow=True)

    assert WebhookDelivery.objects.count() == 1
    assert "already on its way" in response.text
