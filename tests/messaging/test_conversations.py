"""Conversations: asking, writing and reading, limits, escaping, who reads a conversation,
the unread email and badge, read marks, older messages, the data download. Blocks, closed
accounts and reports are in test_blocks_and_reports.py."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import RateLimited
from listings.lifecycle import Action
from listings.services import listing_transition
from messaging import selectors
from messaging.models import Conversation, Message, Presence
from messaging.services.blocks import user_block
from messaging.services.conversations import (
    conversation_mark_read,
    conversation_start,
    message_report,
    message_send,
    unread_email_send,
)
from tests.factories import make_listing, make_user


@pytest.mark.django_db
def test_asking_opens_one_conversation_and_asking_again_opens_the_same(bob_client, offer, bob):
    url = reverse("messaging:start", args=[offer.pk])
    first = bob_client.post(url, {"body": "ください"})
    conversation = Conversation.objects.get()
    assert first.status_code == 302 and first.url == conversation.get_absolute_url()
    again = bob_client.get(url)
    assert again.status_code == 302 and again.url == conversation.get_absolute_url()
    bob_client.post(url, {"body": "もう一度"})
    assert Conversation.objects.count() == 1
    assert list(conversation.messages.values_list("body", flat=True)) == ["ください", "もう一度"]
    assert conversation.requester == bob and conversation.listing == offer


@pytest.mark.django_db
def test_a_wanted_listing_is_answered_the_same_way(alice, bob_client):
    wanted = make_listing(alice, title="ベビーカー", kind="wanted")
    page = bob_client.get(wanted.get_absolute_url()).content.decode()
    assert "持っています" in page
    bob_client.post(reverse("messaging:start", args=[wanted.pk]), {"body": "使っていないものがあります"})
    assert Conversation.objects.get().listing == wanted


@pytest.mark.django_db
def test_nobody_can_ask_for_their_own_listing(alice, offer):
    with pytest.raises(ValidationError):
        conversation_start(listing=offer, requester=alice, body="自分の")
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_an_unverified_account_cannot_ask(carol_client, offer):
    assert carol_client.post(reverse("messaging:start", args=[offer.pk]), {"body": "x"}).status_code == 403
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_the_message_is_stored_and_the_other_side_sees_it_unread(conversation, alice, bob):
    message = message_send(conversation=conversation, sender=alice, body="どうぞ、土曜日はいかがですか")
    assert Message.objects.filter(pk=message.pk).exists()
    assert selectors.unread_total(bob) == 1
    assert selectors.unread_total(alice) == 0  # replying means she has read Bob's message
    message_send(conversation=conversation, sender=bob, body="土曜日で大丈夫です")
    assert selectors.unread_total(alice) == 1 and selectors.unread_total(bob) == 0
    conversation_mark_read(conversation=conversation, user=alice)
    assert selectors.unread_total(alice) == 0


@pytest.mark.django_db
def test_the_unread_total_adds_both_sides_of_every_conversation(conversation, alice, bob):
    """Alice gives a bookshelf (Bob asked) and asks Bob for his lamp: both count for her badge."""
    lamp = make_listing(bob, title="電気スタンド")
    asking = conversation_start(listing=lamp, requester=alice, body="スタンドをください")
    message_send(conversation=asking, sender=bob, body="どうぞ")
    message_send(conversation=asking, sender=bob, body="いつ来られますか")
    assert selectors.unread_total(alice) == 1 + 2  # Bob's request, then his two replies
    conversation_mark_read(conversation=asking, user=alice)
    assert selectors.unread_total(alice) == 1
    assert selectors.unread_total(bob) == 0  # he answered Alice's request, and she has not answered his
    message_send(conversation=conversation, sender=alice, body="本棚は土曜日にどうぞ")
    assert selectors.unread_total(bob) == 1 and selectors.unread_total(alice) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("body,code", [("", "empty"), ("   ", "empty"), ("あ" * 2001, "too_long"), ("a\x00b", "invalid")])
def test_bad_messages_are_refused_and_nothing_is_stored(conversation, alice, body, code):
    before = Message.objects.count()
    with pytest.raises(ValidationError) as exc:
        message_send(conversation=conversation, sender=alice, body=body)
    assert exc.value.code == code
    assert Message.objects.count() == before


@pytest.mark.django_db
def test_sending_too_fast_is_refused_with_a_clear_message(conversation, alice, settings):
    settings.MESSAGING_RATE_PER_MINUTE = 3
    for i in range(3):
        message_send(conversation=conversation, sender=alice, body=f"{i}")
    with pytest.raises(RateLimited):
        message_send(conversation=conversation, sender=alice, body="four")
    assert not Message.objects.filter(body="four").exists()


@pytest.mark.django_db
def test_new_conversations_are_limited_per_day(bob, alice, settings):
    settings.MESSAGING_NEW_CONVERSATIONS_PER_DAY = 2
    listings = [make_listing(alice, title=f"品{i}") for i in range(3)]
    conversation_start(listing=listings[0], requester=bob, body="1")
    conversation_start(listing=listings[1], requester=bob, body="2")
    with pytest.raises(RateLimited):
        conversation_start(listing=listings[2], requester=bob, body="3")
    assert Conversation.objects.count() == 2
    conversation_start(listing=listings[0], requester=bob, body="もう一度")  # an open conversation goes on


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.WITHDRAW, Action.EXPIRE])
def test_a_closed_listing_keeps_its_conversation_readable_but_closed(conversation, offer, alice, bob_client, action):
    listing_transition(listing=offer, action=action, actor=alice)
    page = bob_client.get(conversation.get_absolute_url())
    assert page.status_code == 200 and "ぜひ譲ってください" in page.content.decode()
    response = bob_client.post(conversation.get_absolute_url(), {"body": "まだありますか"})
    assert response.status_code == 400
    assert not Message.objects.filter(body="まだありますか").exists()


@pytest.mark.django_db
def test_the_plain_form_posts_a_message_without_javascript(conversation, alice_client):
    response = alice_client.post(conversation.get_absolute_url(), {"body": "こんにちは"})
    assert response.status_code == 302
    page = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert "こんにちは" in page


@pytest.mark.django_db
def test_message_text_is_escaped_and_links_stay_text(conversation, alice, bob_client):
    message_send(conversation=conversation, sender=alice, body='<script>alert(1)</script> https://evil.example/')
    page = bob_client.get(conversation.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="https://evil.example/' not in page


@pytest.mark.django_db
def test_history_loads_over_http_as_json(conversation, alice, bob_client):
    second = message_send(conversation=conversation, sender=alice, body="二通目")
    first_id = conversation.messages.first().pk
    data = bob_client.get(reverse("messaging:history", args=[conversation.pk]), {"after": first_id}).json()
    assert [m["id"] for m in data["messages"]] == [second.pk]
    assert bob_client.get(reverse("messaging:history", args=[conversation.pk]), {"after": "x"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "outsider", "staff", "suspended"])
def test_only_the_two_participants_read_a_conversation(client, conversation, staff_client, who, bob):
    if who == "visitor":
        http = client
    elif who == "outsider":
        http = client
        http.force_login(make_user(email="eve@example.com"))
    elif who == "staff":
        http = staff_client
    else:
        bob.is_active = False  # a suspended account
        bob.save()
        http = client
        http.force_login(bob)
    for url in [conversation.get_absolute_url(), reverse("messaging:history", args=[conversation.pk])]:
        assert http.get(url).status_code in (302, 404)
    http.post(conversation.get_absolute_url(), {"body": "割り込み"})
    assert not Message.objects.filter(body="割り込み").exists()


@pytest.mark.django_db
def test_an_away_participant_gets_one_email_without_the_message_text(conversation, alice, bob, django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert unread_email_send(conversation_id=conversation.pk, user_id=alice.pk, now=later)
    email = mail.outbox[-1]
    assert email.to == [alice.email]
    assert "本棚" in email.subject and "ぼぶ" in email.body
    assert "ぜひ譲ってください" not in email.body + email.subject
    assert conversation.get_absolute_url() in email.body
    message_send(conversation=conversation, sender=bob, body="追伸")
    assert not unread_email_send(conversation_id=conversation.pk, user_id=alice.pk, now=later + timedelta(minutes=20))
    conversation_mark_read(conversation=conversation, user=alice)
    message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=bob, body="また")
    with django_capture_on_commit_callbacks(execute=True):
        assert unread_email_send(conversation_id=conversation.pk, user_id=alice.pk, now=later + timedelta(minutes=40))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_email_while_the_participant_is_online_or_opted_out(conversation, alice):
    later = timezone.now() + timedelta(minutes=16)
    Presence.objects.create(user=alice, last_seen_at=later - timedelta(minutes=2))
    assert not unread_email_send(conversation_id=conversation.pk, user_id=alice.pk, now=later)
    Presence.objects.filter(user=alice).delete()
    alice.notify_messages = False
    alice.save()
    assert not unread_email_send(conversation_id=conversation.pk, user_id=alice.pk, now=later)
    assert not mail.outbox


@pytest.mark.django_db
def test_the_unread_badge_shows_on_every_page(conversation, alice_client):
    page = alice_client.get(reverse("home")).content.decode()
    assert 'data-unread-badge' in page and ">1</span>" in page


# --- What an event elsewhere does to read marks ------------------------------------------------


def _unread_in_inbox(client) -> dict[str, int]:
    """Unread counts as the inbox shows them, by the other participant's name (0: no badge)."""
    html = client.get(reverse("messaging:inbox")).content.decode()
    counts = {}
    for item in re.findall(r'<li class="inbox-item.*?</li>', html, re.S):
        name = re.search(r'<span class="inbox-meta">(.*?) ·', item).group(1)
        badge = re.search(r"未読 (\d+)件", item)
        counts[name] = int(badge.group(1)) if badge else 0
    return counts


@pytest.mark.django_db
def test_an_event_in_a_conversation_the_poster_has_not_opened_leaves_it_unread(
    conversation, alice, alice_client, offer, django_capture_on_commit_callbacks
):
    from messaging.services.handover import reservation_create

    carl = make_user(email="carl@example.com", name="かーる", postal_code="1030013")
    unopened = conversation_start(listing=offer, requester=carl, body="私も欲しいです")
    assert selectors.unread_total(alice) == 2  # Bob's request and Carl's
    reservation_create(conversation=conversation, actor=alice)  # in Bob's conversation
    # Carl is told in his conversation; Alice never opened it, so his request is still unread.
    assert selectors.unread_total(alice) == 1
    later = timezone.now() + timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert unread_email_send(conversation_id=unopened.pk, user_id=alice.pk, now=later)
    assert mail.outbox[-1].to == [alice.email]
    assert _unread_in_inbox(alice_client) == {"かーる": 1, "ぼぶ": 0}  # his request


@pytest.mark.django_db
def test_acting_in_a_conversation_marks_it_read_for_the_actor(conversation, alice, alice_client):
    from messaging.services.handover import reservation_create

    assert _unread_in_inbox(alice_client) == {"ぼぶ": 1}
    reservation_create(conversation=conversation, actor=alice)
    assert _unread_in_inbox(alice_client) == {"ぼぶ": 0}


# --- Older messages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_older_messages_open_as_a_page_without_javascript(conversation, alice, bob, bob_client):
    Message.objects.bulk_create([Message(conversation=conversation, sender=alice, body=f"古い{i}") for i in range(120)])
    bob_client.cookies["django_language"] = "en"
    page = bob_client.get(conversation.get_absolute_url())
    history = page.context["history"]
    assert len(history) == 100 and "古い119" in page.content.decode() and "古い5<" not in page.content.decode()
    older_url = f"{conversation.get_absolute_url()}?before={history[0].pk}"
    assert f'href="{older_url}"' in page.content.decode().replace("&amp;", "&")
    older = bob_client.get(older_url)
    html = older.content.decode()
    assert older.status_code == 200 and "text/html" in older["Content-Type"]
    assert "ぜひ譲ってください" in html and "古い0<" in html and "古い19<" in html and "古い20<" not in html
    assert "Show older messages" not in html  # nothing older than the first message
    assert "Show the newest messages" in html
    assert bob_client.get(f"{conversation.get_absolute_url()}?before=abc").status_code == 200  # a mangled link


# --- The data download -------------------------------------------------------------------------



@pytest.mark.django_db
def test_download_my_data_holds_conversations_blocks_and_reports(conversation, alice, bob, bob_client):
    import json

    message_send(conversation=conversation, sender=alice, body="土曜日はいかがですか")
    hidden = message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=alice, body="隠された文")
    Message.objects.filter(pk=hidden.pk).update(hidden_by_staff=True)
    message_report(message=hidden, reporter=bob, reason="spam", note="宣伝")
    user_block(blocker=bob, blocked=alice)
    elsewhere = make_listing(alice, title="別の品")
    carl = make_user(email="carl@example.com", name="かーる", postal_code="1030013")
    conversation_start(listing=elsewhere, requester=carl, body="ボブには関係ない")

    data = json.loads(bob_client.get(reverse("accounts:export")).content)["messaging"]
    [mine] = data["conversations"]
    assert (mine["listing"], mine["role"], mine["with"]) == ("本棚", "requester", "ありす")
    texts = [(m["from_me"], m["body"]) for m in mine["messages"] if m["kind"] == "text"]
    assert texts == [(True, "ぜひ譲ってください"), (False, "土曜日はいかがですか"), (False, None)]
    assert data["blocks"][0]["blocked"] == "ありす"
    assert data["reports"][0] == {**data["reports"][0], "message_id": hidden.pk, "reason": "spam", "note": "宣伝"}
