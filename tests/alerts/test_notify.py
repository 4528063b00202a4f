"""Alert delivery on the channels a resident chose for saved searches: the alert email with
one-click unsubscribe, LINE pushes to a local stand-in of the Messaging API, quiet hours, once per
alert, and email whenever LINE cannot deliver."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from alerts.notify import LINE_TEXT_LIMIT, Notice, notify
from notifications import line as line_module
from notifications.models import Channel, Delivery, Event, LineLink, Preference
from notifications.services import deliveries_due_send
from tests.alerts.conftest import TOKEN, on_line
from tests.stand_in import refusing_url

pytestmark = pytest.mark.django_db

NOTICE = Notice(
    subject="New match: wooden bookshelf",
    body="A wooden bookshelf in Ginza matches your saved search.",
    url="https://mottainai.example/listings/42/",
    unsubscribe_url="https://mottainai.example/alerts/unsubscribe/abc123/",
)


def deliver(user, notice: Notice = NOTICE, key: str = "alert:1:42") -> set[str]:
    """notify() as the worker calls it, after commit: the email and LINE tasks it queues run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify(user=user, notice=notice, key=key, summary="1 new item matches your saved search.", path="/alerts/1/")


# --- Email ------------------------------------------------------------------------------------


def test_email_carries_the_body_both_links_and_one_click_unsubscribe_headers(alice):
    assert deliver(alice) == {"email"}

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "[Mottainai] " + NOTICE.subject
    assert NOTICE.body in message.body
    assert NOTICE.url in message.body
    assert NOTICE.unsubscribe_url in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{NOTICE.unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{NOTICE.unsubscribe_url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_newline_in_the_subject_does_not_lose_the_email(alice):
    notice = Notice(subject="New match:\nbookshelf", body="b", url=NOTICE.url, unsubscribe_url=NOTICE.unsubscribe_url)

    assert deliver(alice, notice) == {"email"}

    assert mail.outbox[0].subject == "[Mottainai] New match: bookshelf"


def test_a_resident_who_chose_email_only_never_gets_line(line_api, alice):
    on_line(alice, channels=["email"])

    assert deliver(alice) == {"email"}

    assert line_api.received == []
    assert len(mail.outbox) == 1


def test_a_resident_who_turned_alerts_off_everywhere_hears_nothing(line_api, alice):
    on_line(alice, channels=[])

    assert deliver(alice) == set()

    assert line_api.received == [] and mail.outbox == []


# --- LINE -------------------------------------------------------------------------------------


def test_a_resident_who_chose_line_gets_a_push_with_the_token_their_uid_and_the_links(line_api, alice):
    uid = on_line(alice)

    assert deliver(alice) == {"line"}

    [push] = line_api.received
    assert push.path == "/v2/bot/message/push"
    assert push.headers["Authorization"] == f"Bearer {TOKEN}"
    assert push.json()["to"] == uid
    [message] = push.json()["messages"]
    assert message["type"] == "text"
    assert message["text"].startswith(NOTICE.subject + "\n")
    assert NOTICE.body in message["text"]
    assert NOTICE.url in message["text"]
    assert NOTICE.unsubscribe_url in message["text"]
    assert mail.outbox == []


def test_by_default_a_linked_resident_gets_the_alert_by_email_and_on_line(line_api, alice):
    LineLink.objects.create(user=alice, line_user_id="U" + "a" * 32)

    assert deliver(alice) == {"email", "line"}

    assert len(line_api.received) == 1 and len(mail.outbox) == 1


def test_a_long_body_is_shortened_to_lines_limit_but_keeps_both_links(line_api, alice):
    on_line(alice)
    # Emoji count as two UTF-16 units at LINE, so a naive len() would overshoot the limit.
    notice = Notice(subject="Many items", body="🍎" * 4000, url=NOTICE.url, unsubscribe_url=NOTICE.unsubscribe_url)

    assert deliver(alice, notice) == {"line"}

    text = line_api.received[0].json()["messages"][0]["text"]
    assert len(text.encode("utf-16-le")) // 2 <= LINE_TEXT_LIMIT
    assert "\ufffd" not in text  # no emoji was cut in half
    assert "…" in text
    assert text.endswith(NOTICE.unsubscribe_url)
    assert NOTICE.url in text


def test_a_resident_who_chose_line_but_is_not_linked_gets_nothing_on_line(line_api, bob):
    Preference.objects.create(user=bob, channels={Event.ALERT: ["line", "email"]})

    assert deliver(bob) == {"email"}

    assert line_api.received == []
    assert mail.outbox[0].to == ["bob@example.com"]


def test_line_not_configured_means_no_line(line_api, settings, alice):
    on_line(alice, channels=["line", "email"])
    settings.LINE_MESSAGING_CHANNEL_TOKEN = ""

    assert deliver(alice) == {"email"}

    assert line_api.received == []


def test_a_refused_push_is_emailed_instead_once(line_api, alice, caplog):
    on_line(alice)
    line_api.script = [400]

    assert deliver(alice) == {"line"}
    assert deliver(alice) == set()  # the same alert again (a task run twice)

    assert len(line_api.received) == 1
    [email] = mail.outbox
    assert email.subject == "[Mottainai] " + NOTICE.subject
    assert "1 new item matches your saved search." in email.body and "/alerts/1/" in email.body
    assert Delivery.objects.get(channel=Channel.LINE).status == Delivery.Status.FAILED
    assert TOKEN not in caplog.text


def test_a_push_that_times_out_is_tried_again_with_the_same_retry_key(line_api, alice, monkeypatch):
    on_line(alice)
    monkeypatch.setattr(line_module, "TIMEOUT_SECONDS", 0.2)
    line_api.script = [2.0]

    started = time.monotonic()
    assert deliver(alice) == {"line"}

    assert time.monotonic() - started < 1.5
    first, second = line_api.received
    assert first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"]  # LINE delivers it once
    assert Delivery.objects.get(channel=Channel.LINE).status == Delivery.Status.SENT
    assert mail.outbox == []


def test_an_unreachable_line_api_ends_in_one_email(line_api, settings, alice):
    on_line(alice)
    settings.LINE_MESSAGING_API_URL = refusing_url()

    assert deliver(alice) == {"line"}

    assert len(mail.outbox) == 1


# --- Quiet hours and once only -------------------------------------------------------------------


def test_quiet_hours_hold_line_until_they_end_and_email_goes_at_once(line_api, alice, clock):
    on_line(alice, channels=["line", "email"])
    clock.move_to(timezone.localtime().replace(hour=23, minute=0))

    assert deliver(alice) == {"email", "line"}

    assert len(mail.outbox) == 1 and line_api.received == []
    held = Delivery.objects.get(channel=Channel.LINE)
    assert held.status == Delivery.Status.HELD
    assert timezone.localtime(held.due_at).strftime("%H:%M") == "07:00"
    clock.move_to(held.due_at + timedelta(seconds=1))
    assert deliveries_due_send() == 1
    assert len(line_api.received) == 1
    assert deliveries_due_send() == 0 and len(line_api.received) == 1


def test_the_same_alert_sent_twice_reaches_each_channel_once(line_api, alice):
    on_line(alice, channels=["line", "email"])

    assert deliver(alice) == {"email", "line"}
    assert deliver(alice) == set()

    assert len(line_api.received) == 1 and len(mail.outbox) == 1
    assert deliver(alice, key="alert:1:43") == {"email", "line"}  # the next alert of the same search


# --- Nobody to tell ---------------------------------------------------------------------------


def test_a_deleted_resident_gets_nothing(line_api, alice):
    on_line(alice, channels=["line", "email"])
    alice.deleted_at = timezone.now()
    alice.save(update_fields=["deleted_at"])

    assert deliver(alice) == set()

    assert line_api.received == [] and mail.outbox == []


def test_an_inactive_resident_gets_nothing(line_api, alice):
    on_line(alice, channels=["line", "email"])
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert deliver(alice) == set()

    assert line_api.received == [] and mail.outbox == []
