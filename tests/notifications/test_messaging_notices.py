"""The messaging events as a resident with notifications on their phone gets them: one push each,
worded in Japanese, opening the conversation, never the message's text, and never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.dates import format_when
from messaging.models import Conversation, Lottery, Reservation
from messaging.notices import reserved_notify
from messaging.services.conversations import conversation_mark_read, conversation_start, message_send, unread_email_send
from messaging.services.handover import reservation_create
from messaging.services.lottery import lottery_draw, lottery_start
from messaging.services.pickup import pickup_accept, pickup_propose, pickup_reminder_send
from messaging.tasks import notify_message
from notifications.services import push_subscribe
from tests.factories import make_listing, make_user
from tests.notifications.push_service import Browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """A service call, then what it queued for after commit (tasks, pushes, emails), as on the site."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def phones(push_service):
    """Each resident's phone, subscribed to push; what it was shown, decrypted."""
    browsers = {}

    def phone(user) -> Browser:
        if user.pk not in browsers:
            browsers[user.pk] = Browser(push_service.url, f"phone-{user.pk}")
            keys = browsers[user.pk].subscription["keys"]
            push_subscribe(user=user, endpoint=browsers[user.pk].endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
        return browsers[user.pk]

    def shown(user) -> list[dict]:
        browser = phone(user)
        return [browser.decrypt(push.body) for push in push_service.received if push.path == f"/push/phone-{user.pk}"]

    phone.shown = shown
    return phone


@pytest.fixture
def offer(alice):
    return make_listing(alice, title="本棚")


@pytest.fixture
def conversation(offer, bob):
    return conversation_start(listing=offer, requester=bob, body="ぜひ譲ってください")


def test_the_poster_is_told_of_a_new_request_once(alice, bob, offer, phones, run):
    phones(alice)
    conversation = run(conversation_start, listing=offer, requester=bob, body="ぜひ譲ってください")
    [shown] = phones.shown(alice)
    assert shown["title"] == "「本棚」に申し込みがありました"
    assert shown["body"] == "ぼぶさんからです。メッセージで返事ができます。"
    assert shown["url"] == conversation.get_absolute_url()
    run(message_send, conversation=conversation, sender=bob, body="よろしくお願いします")  # a message, not a request
    assert [s["title"] for s in phones.shown(alice)] == ["「本棚」に申し込みがありました"]


def check(run, conversation, user, message) -> bool:
    """The task that looks at a new message once it has waited, run as the worker would."""
    return run(notify_message.enqueue, conversation_id=conversation.pk, user_id=user.pk, message_id=message.pk).return_value


def _message(run, conversation, sender, body="明日の夕方はいかがですか"):
    return run(message_send, conversation=Conversation.objects.get(pk=conversation.pk), sender=sender, body=body)


def test_a_message_still_unread_after_a_minute_is_pushed_without_its_text(alice, bob, conversation, phones, run, clock):
    phones(bob)
    message = _message(run, conversation, alice)
    assert phones.shown(bob) == []  # not yet: they may be reading it
    clock.shift(timedelta(seconds=61))
    assert check(run, conversation, bob, message)
    [shown] = phones.shown(bob)
    assert shown["title"] == "ありす"
    assert shown["body"] == "「本棚」についてメッセージが届きました"
    assert "夕方" not in str(shown)
    assert shown["url"] == conversation.get_absolute_url()
    check(run, conversation, bob, message)  # run again
    assert len(phones.shown(bob)) == 1


def test_a_message_read_within_the_minute_is_not_pushed(alice, bob, conversation, phones, run, clock):
    phones(bob)
    message = _message(run, conversation, alice)
    clock.shift(timedelta(seconds=30))
    conversation_mark_read(conversation=Conversation.objects.get(pk=conversation.pk), user=bob)
    clock.shift(timedelta(seconds=31))
    assert not check(run, conversation, bob, message)
    assert phones.shown(bob) == []


def test_a_burst_of_messages_is_one_push(alice, bob, conversation, phones, run, clock):
    phones(bob)
    first = _message(run, conversation, alice)
    second = _message(run, conversation, alice, "17時ごろです")
    clock.shift(timedelta(seconds=61))
    for message in (first, second):
        check(run, conversation, bob, message)
    assert len(phones.shown(bob)) == 1


def test_a_check_that_finds_a_newer_message_too_fresh_tells_that_one_once_it_has_waited(alice, bob, conversation, phones, run, clock):
    """One check per conversation and recipient at a time: the one the first message queued tells the newest."""
    phones(bob)
    first = _message(run, conversation, alice)
    clock.shift(timedelta(seconds=50))
    _message(run, conversation, alice, "17時ごろです")
    clock.shift(timedelta(seconds=11))
    assert not check(run, conversation, bob, first)  # the newest has waited 11 seconds only
    assert phones.shown(bob) == []
    clock.shift(timedelta(seconds=50))
    assert check(run, conversation, bob, first)
    check(run, conversation, bob, first)
    [shown] = phones.shown(bob)
    assert shown["title"] == "ありす"


def test_the_unread_email_still_comes_once_after_a_failed_push_told_by_email(alice, bob, conversation, push_service, phones, run, clock):
    phones(bob)
    message = _message(run, conversation, alice)
    push_service.script = [410]  # the phone's subscription is gone: email tells instead
    clock.shift(timedelta(seconds=61))
    check(run, conversation, bob, message)
    assert [m.to for m in mail.outbox] == [[bob.email]]
    clock.shift(timedelta(minutes=16))
    assert not run(unread_email_send, conversation_id=conversation.pk, user_id=bob.pk)  # told already
    assert len(mail.outbox) == 1


def test_the_requester_is_told_the_item_is_reserved_for_them(alice, bob, conversation, phones, run):
    phones(bob)
    mail.outbox.clear()
    reservation = run(reservation_create, conversation=conversation, actor=alice)
    [shown] = phones.shown(bob)
    assert shown["title"] == "「本棚」があなたのために取り置きされました"
    assert shown["body"] == "受け渡しの日時をメッセージで決めましょう。"
    assert shown["url"] == conversation.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[bob.email]]  # the email as before
    run(reserved_notify, reservation=reservation, requester=bob, email=lambda: None)  # the same reservation again
    assert len(phones.shown(bob)) == 1 and len(mail.outbox) == 1


def test_pickup_times_proposed_and_agreed_are_told_to_the_other(alice, bob, conversation, phones, run):
    phones(alice), phones(bob)
    reservation = reservation_create(conversation=conversation, actor=alice)
    when = (timezone.localtime() + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    run(pickup_propose, reservation=reservation, actor=bob, when=when)
    [proposed] = phones.shown(alice)
    assert proposed["title"] == "「本棚」の受け渡し"
    assert proposed["body"] == f"ぼぶさんが受け渡し日時を提案しました：{format_when(when)}"
    assert proposed["url"] == conversation.get_absolute_url()
    run(pickup_accept, reservation=Reservation.objects.get(pk=reservation.pk), actor=alice)
    agreed = [s for s in phones.shown(bob) if s["title"] == "「本棚」の受け渡し"]
    assert [s["body"] for s in agreed] == [f"受け渡し日時が確定しました：{format_when(when)}。お二人にリマインダーをお送りします。"]
    # The one who accepted is not told of their own step (the immediate task backend has reminded both already).
    assert [s["tag"].split(":")[2] for s in phones.shown(alice) if s["tag"].startswith("pickup:")] == ["proposed"]


def test_both_are_reminded_once_by_push_and_by_the_usual_email(alice, bob, conversation, phones, run):
    phones(alice), phones(bob)
    reservation = reservation_create(conversation=conversation, actor=alice)
    when = timezone.now() + timedelta(days=1)
    pickup_propose(reservation=reservation, actor=alice, when=when)
    pickup_accept(reservation=Reservation.objects.get(pk=reservation.pk), actor=bob)
    mail.outbox.clear()
    for _ in range(2):  # the reminder task run twice
        assert run(pickup_reminder_send, reservation_id=reservation.pk, pickup_at=when.isoformat())
    for user in (alice, bob):
        reminders = [s for s in phones.shown(user) if s["title"] == "【お知らせ】「本棚」の受け渡し予定"]
        assert [s["body"] for s in reminders] == [f"受け渡しは{format_when(when)}です。"]
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]


def test_every_entrant_hears_the_lottery_result(alice, bob, offer, conversation, phones, run):
    carl = make_user(email="carl@example.com", name="かーる", postal_code="1030013")
    second = conversation_start(listing=offer, requester=carl, body="私も欲しいです")
    phones(bob), phones(carl)
    closes = timezone.now() + timedelta(hours=1)
    lottery_start(listing=offer, actor=alice, closes_at=closes)
    mail.outbox.clear()
    won = run(lottery_draw, listing_id=offer.pk, now=closes + timedelta(seconds=1))
    lost = second if won.conversation_id == conversation.pk else conversation
    winner, loser = won.requester, lost.requester
    [shown] = phones.shown(winner)  # the lottery's notice, not a second one for the reservation
    assert shown["title"] == "「本棚」の抽選結果"
    assert shown["body"] == "抽選に当選しました。品物があなたのために取り置きされました。"
    assert shown["url"] == won.conversation.get_absolute_url()
    [shown] = phones.shown(loser)
    assert shown["title"] == "「本棚」の抽選結果" and shown["body"].startswith("この品物の抽選には当選しませんでした。")
    assert shown["url"] == lost.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[winner.email]]  # the "chosen" email as before
    assert Lottery.objects.get().winner_id == won.conversation_id
