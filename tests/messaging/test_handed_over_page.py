"""After a handover both sides keep a read-only page of the item (listings.selectors._may_see):
the photos, the agreed time and the thank-you notes, for the poster and the requester who took
part; everyone else (other requesters, other residents, visitors) gets 404, photos included."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging.models import Reservation
from messaging.services.handover import reservation_create, reservation_hand_over, thanks_send
from messaging.services.pickup import pickup_accept, pickup_propose
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "photos"}},
    }


@pytest.fixture
def handed_over(local_storage, alice, bob, carl):
    """Alice's chair with a photo, asked for by Bob and Carl, handed over to Bob at an agreed time, thanked."""
    from messaging.services.conversations import conversation_start

    listing = make_listing(alice, title="木の椅子", photos=1)
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    conversation_start(listing=listing, requester=carl, body="私も")
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.localtime().replace(hour=18, minute=30) + timedelta(days=1))
    pickup_accept(reservation=Reservation.objects.get(), actor=alice)
    listing.refresh_from_db()
    reservation = reservation_hand_over(listing=listing, actor=alice)
    thanks_send(reservation=reservation, sender=bob, text="大切に使います")
    listing.refresh_from_db()
    return listing, conversation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_recipient_keeps_a_read_only_page_with_photos_time_and_thanks(handed_over, bob):
    listing, conversation = handed_over
    bob_client = _client(bob)
    # The link in his own conversation opens the item.
    conversation_page = bob_client.get(conversation.get_absolute_url()).content.decode()
    assert f'href="{listing.get_absolute_url()}"' in conversation_page
    response = bob_client.get(listing.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "木の椅子" in page and "受け渡し完了" in page
    agreed = timezone.localtime(Reservation.objects.get().pickup_at).strftime("%Y-%m-%d %H:%M")
    assert "確定した受け渡し日時" in page and agreed in page
    assert "大切に使います" in page
    assert f'href="{conversation.get_absolute_url()}"' in page
    assert reverse("messaging:start", args=[listing.pk]) not in page  # read-only: nothing to ask for
    photo = listing.photos.get()
    assert photo.image.url in page
    for url in (photo.image.url, photo.thumbnail.url):
        assert bob_client.get(url).status_code == 200


def test_the_giver_sees_the_same_record(handed_over, alice):
    listing, _conversation = handed_over
    page = _client(alice).get(listing.get_absolute_url()).content.decode()
    assert "確定した受け渡し日時" in page and "大切に使います" in page


def test_everyone_else_gets_404_for_the_page_and_its_photos(handed_over, carl):
    listing, _conversation = handed_over
    photo = listing.photos.get()
    stranger = make_user(email="stranger@example.com", name="よそのひと")
    for client in (_client(carl), _client(stranger), Client()):
        assert client.get(listing.get_absolute_url()).status_code == 404
        assert client.get(photo.image.url).status_code == 404
        assert client.get(photo.thumbnail.url).status_code == 404


def test_a_released_requester_gets_404(local_storage, alice, bob):
    from messaging.services.conversations import conversation_start
    from messaging.services.handover import reservation_release

    listing = make_listing(alice, photos=1)
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    reservation_create(conversation=conversation, actor=alice)
    listing.refresh_from_db()
    reservation_release(listing=listing, actor=alice)
    listing.refresh_from_db()
    from listings.lifecycle import Action
    from listings.services import listing_transition

    listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)
    client = _client(bob)
    assert client.get(listing.get_absolute_url()).status_code == 404
    assert client.get(listing.photos.get().image.url).status_code == 404


def test_a_poster_on_their_own_draft_sees_publish_and_edit_never_a_request_button(alice, alice_client):
    draft = make_listing(alice, publish=False, title="下書きの机")
    page = alice_client.get(draft.get_absolute_url()).content.decode()
    assert re.search(rf'<form method="post" action="{reverse("listings:act", args=[draft.pk, "submit"])}">.*?掲載する</button>', page, re.S)
    assert reverse("listings:edit", args=[draft.pk]) in page
    assert reverse("messaging:start", args=[draft.pk]) not in page
    assert ">申し込み<" not in page and "譲ってほしい" not in page
    # Asking for one's own item, even by hand, opens no conversation.
    assert alice_client.post(reverse("messaging:start", args=[draft.pk]), {"body": "ください"}).status_code == 302
    assert not draft.conversations.exists()
    alice_client.post(reverse("listings:act", args=[draft.pk, "submit"]))
    draft.refresh_from_db()
    assert draft.status in ("published", "pending")
