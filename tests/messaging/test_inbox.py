"""The inbox tells conversations apart: the item's thumbnail (alt = its title), its title, the
other person, where the handover stands in words and the start of the last message with its time;
in the same number of queries for two conversations as for twelve."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import format_when
from messaging.services.conversations import conversation_start, message_send
from messaging.services.handover import reservation_create, reservation_hand_over
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "photos"}},
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _items(page: str) -> list[str]:
    return re.findall(r'<li class="inbox-item[^"]*">.*?</li>', page, re.S)


def test_three_requests_for_one_item_read_differently(local_storage, alice, bob, carl, alice_client, bob_client):
    chair = make_listing(alice, title="木の椅子", photos=1)
    dave = make_user(email="dave@example.com", name="でいぶ", postal_code="1040052")
    with_bob = conversation_start(listing=chair, requester=bob, body="ください")
    with_carl = conversation_start(listing=chair, requester=carl, body="ください")
    reservation_create(conversation=with_bob, actor=alice)
    message_send(conversation=with_carl, sender=carl, body="週末に取りに伺えます。" * 6)
    message_send(conversation=with_bob, sender=bob, body="ありがとうございます！")
    conversation_start(listing=make_listing(alice, title="本棚"), requester=dave, body="本棚をください")

    items = _items(alice_client.get(reverse("messaging:inbox")).content.decode())
    assert len(items) == 3
    by_name = {name: item for item in items for name in ("ぼぶ", "かーる", "でいぶ") if name in item}
    thumb = chair.photos.get().thumbnail.url
    for name in ("ぼぶ", "かーる"):
        assert f'src="{thumb}" alt="木の椅子"' in by_name[name] and ">木の椅子<" in by_name[name]
    assert 'class="badge badge-status">取り置き中<' in by_name["ぼぶ"]
    assert 'class="badge badge-status">ほかの方に取り置き中<' in by_name["かーる"]
    assert 'class="badge badge-status">申し込み中<' in by_name["でいぶ"] and "inbox-thumb thumb-empty" in by_name["でいぶ"]
    assert "ありがとうございます！" in by_name["ぼぶ"]
    # The start of a long message: 39 characters and an ellipsis.
    assert ("週末に取りに伺えます。" * 6)[:39] + "…" in by_name["かーる"]
    assert ("週末に取りに伺えます。" * 6)[:45] not in by_name["かーる"]
    when = format_when(with_bob.messages.last().created_at)  # the page's date format (core/dates.py)
    assert f">{when}</time>" in by_name["ぼぶ"]

    (bob_item,) = _items(bob_client.get(reverse("messaging:inbox")).content.decode())
    assert "ありす" in bob_item and 'badge-status">取り置き中<' in bob_item and f'src="{thumb}"' in bob_item


def test_after_the_handover_each_side_reads_its_own_state_and_the_text_stays_escaped(alice, bob, carl, alice_client):
    chair = make_listing(alice, title="椅子")
    with_bob = conversation_start(listing=chair, requester=bob, body="<b>太字</b>")
    with_carl = conversation_start(listing=chair, requester=carl, body="私も")
    reservation_create(conversation=with_bob, actor=alice)
    chair.refresh_from_db()
    reservation_hand_over(listing=chair, actor=alice)
    message_send(conversation=with_bob, sender=alice, body="<b>ありがとう</b>")
    items = _items(alice_client.get(reverse("messaging:inbox")).content.decode())
    bob_item = next(i for i in items if "ぼぶ" in i)
    assert 'badge-status">受け渡し完了<' in bob_item
    assert "&lt;b&gt;ありがとう&lt;/b&gt;" in bob_item and "<b>" not in bob_item
    (carl_item,) = _items(_client(carl).get(reverse("messaging:inbox")).content.decode())
    assert 'badge-status">ほかの方に受け渡し済み<' in carl_item
    assert with_carl.get_absolute_url() in carl_item


def test_more_conversations_cost_no_more_queries(local_storage, alice, alice_client, django_assert_max_num_queries):
    def add_conversations(n: int) -> None:
        for i in range(n):
            requester = make_user(name=f"住民{i}")
            conversation = conversation_start(listing=make_listing(alice, title=f"品物{i}", photos=1), requester=requester, body="ください")
            message_send(conversation=conversation, sender=alice, body="どうぞ")
            if i % 2:
                reservation_create(conversation=conversation, actor=alice)

    add_conversations(2)
    alice_client.get(reverse("messaging:inbox"))  # warm caches (staff ids, site settings)
    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(reverse("messaging:inbox")).status_code == 200
    add_conversations(10)
    with django_assert_max_num_queries(len(few)):
        page = alice_client.get(reverse("messaging:inbox")).content.decode()
    assert len(_items(page)) == 12
