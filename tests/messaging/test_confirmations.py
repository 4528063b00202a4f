"""Every irreversible step asks first, the same way and in the same words wherever it is offered
(core.confirm, listings.confirmations): the first post answers with a page naming the item and
what will happen, 「はい、…」 and 「やめる」; only the post with confirm=1 takes the step. And the
handover panel offers what fits the state: the pickup time first, then the handover."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import SavedSearch
from listings.models import Listing
from messaging.models import Lottery, Reservation
from messaging.services.handover import reservation_create
from messaging.services.lottery import lottery_start
from messaging.services.pickup import pickup_accept, pickup_propose

pytestmark = pytest.mark.django_db


def _panel(client, conversation) -> str:
    page = client.get(conversation.get_absolute_url()).content.decode()
    return page[page.index('<aside class="handover-panel"'):page.index("</aside>")]


def _question(html: str) -> tuple[str, str]:
    """The question and the 「はい」 button of a confirmation page."""
    heading = re.search(r'<h1 id="confirm-heading">(.*?)</h1>', html).group(1)
    button = re.search(r'<button class="button[^"]*" type="submit">(.*?)</button>', html).group(1)
    return heading, button


def test_handing_over_in_a_conversation_asks_first_and_only_the_confirmed_post_closes_the_listing(alice, alice_client, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    url = reverse("messaging:act", args=[conversation.pk, "hand_over"])

    asked = alice_client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED  # nothing happened yet
    assert _question(page) == ("この品物を受け渡し完了にしますか？", "はい、受け渡し完了にする")
    assert "本棚" in page and "この操作は取り消せません。" in page
    assert f'<form method="post" action="{url}">' in page and '<input type="hidden" name="confirm" value="1">' in page
    assert f'<a href="{conversation.get_absolute_url()}">やめる</a>' in page

    assert alice_client.post(url, {"confirm": "1"}).status_code == 302
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.HANDED_OVER


def test_releasing_a_reservation_asks_first(alice, alice_client, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    url = reverse("messaging:act", args=[conversation.pk, "release"])
    page = alice_client.post(url).content.decode()
    assert _question(page) == ("取り置きを解除しますか？", "はい、取り置きを解除する")
    assert Reservation.objects.get().status == "active"
    alice_client.post(url, {"confirm": "1"})
    assert Reservation.objects.get().status == "released"
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.PUBLISHED


def test_a_no_show_asks_first(alice, bob, alice_client, offer, conversation, clock):
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(hours=1))
    pickup_accept(reservation=Reservation.objects.get(), actor=alice)
    clock.shift(timedelta(hours=2))
    url = reverse("messaging:act", args=[conversation.pk, "no_show"])
    page = alice_client.post(url).content.decode()
    assert _question(page) == ("この方が来なかったことを記録しますか？", "はい、来なかったことを記録する")
    assert Reservation.objects.get().status == "active"
    alice_client.post(url, {"confirm": "1"})
    assert Reservation.objects.get().status == "no_show"


def test_the_requester_is_refused_a_poster_step_without_being_asked_about_it(bob_client, alice, conversation):
    reservation_create(conversation=conversation, actor=alice)
    assert bob_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"])).status_code == 403


def test_handing_over_reads_the_same_on_my_listings_as_in_the_conversation(alice, alice_client, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    mine = alice_client.post(reverse("listings:act", args=[offer.pk, "hand_over"]))
    here = alice_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"]))
    assert mine.status_code == here.status_code == 200
    assert _question(mine.content.decode()) == _question(here.content.decode()) == ("この品物を受け渡し完了にしますか？", "はい、受け渡し完了にする")
    assert f'<a href="{reverse("listings:mine")}">やめる</a>' in mine.content.decode()
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED
    # The buttons themselves post plainly: no JavaScript confirm() is left anywhere.
    assert "data-confirm" not in alice_client.get(reverse("listings:mine")).content.decode()
    assert "data-confirm" not in alice_client.get(conversation.get_absolute_url()).content.decode()


def test_withdrawing_asks_first(alice_client, offer):
    url = reverse("listings:act", args=[offer.pk, "withdraw"])
    assert _question(alice_client.post(url).content.decode()) == ("この出品を取り下げますか？", "はい、取り下げる")
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.PUBLISHED
    alice_client.post(url, {"confirm": "1"})
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.WITHDRAWN


def test_cancelling_a_lottery_asks_first(alice, alice_client, offer, conversation):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    url = reverse("messaging:lottery_cancel", args=[offer.pk])
    page = alice_client.post(url).content.decode()
    assert _question(page) == ("抽選を取り消しますか？", "はい、抽選を取り消す")
    assert f'<a href="{reverse("messaging:requests", args=[offer.pk])}">やめる</a>' in page
    assert Lottery.objects.exists()
    alice_client.post(url, {"confirm": "1"})
    assert not Lottery.objects.exists()


def test_deleting_a_saved_search_asks_first(bob_client):
    bob_client.post(reverse("alerts:save"), {"q": "椅子"})
    saved = SavedSearch.objects.get()
    url = reverse("alerts:delete", args=[saved.pk])
    page = bob_client.post(url).content.decode()
    assert _question(page) == ("この保存した検索を削除しますか？", "はい、削除する") and "椅子" in page
    assert SavedSearch.objects.exists()
    bob_client.post(url, {"confirm": "1"})
    assert not SavedSearch.objects.exists()


def test_without_an_agreed_time_the_panel_offers_the_time_first_and_the_handover_second(alice, alice_client, conversation):
    reservation_create(conversation=conversation, actor=alice)
    panel = _panel(alice_client, conversation)
    propose = panel.index("日時を提案する")
    hand_over = panel.index("受け渡し完了にする")
    assert propose < hand_over
    assert '<button class="button" type="submit">日時を提案する</button>' in panel  # the primary step
    assert '<button class="button button-secondary" type="submit">受け渡し完了にする</button>' in panel  # still possible
    assert "日時はまだ決まっていません。" in panel
    assert "相手の方が来ない場合" not in panel and "相手が来なかった" not in panel  # no no-show talk before a time


def test_once_a_time_is_agreed_the_handover_is_the_primary_step(alice, bob, alice_client, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(days=1))
    pickup_accept(reservation=Reservation.objects.get(), actor=alice)
    panel = _panel(alice_client, conversation)
    assert '<button class="button" type="submit">受け渡し完了にする</button>' in panel
    assert '<button class="button button-secondary" type="submit">別の日時を提案する</button>' in panel
    assert "記録できます" in panel  # the no-show note, now that there is a time to miss


def test_the_pickup_heading_is_not_repeated_as_the_field_label(alice, alice_client, bob_client, conversation):
    reservation_create(conversation=conversation, actor=alice)
    for client in (alice_client, bob_client):
        panel = _panel(client, conversation)
        assert panel.count("受け渡し日時") == 1
        assert re.search(r'<label for="id_when">日時 <span class="required">', panel)
        assert 'id="id_when"' in panel
