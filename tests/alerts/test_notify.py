"""Alert delivery: email with one-click unsubscribe, LINE pushes to a local stand-in of the
Messaging API (an HTTP server on 127.0.0.1), and email whenever LINE cannot deliver."""

import time

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from alerts import notify as notify_module
from alerts.notify import LINE_TEXT_LIMIT, Notice, line_available, notify
from tests.stand_in import StandIn, refusing_url

pytestmark = pytest.mark.django_db

TOKEN = "test-channel-access-token"
# What LINE answers an accepted push (the SDK reads it).
PUSH_ANSWER = b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}'
ALICE_UID = "U1234567890abcdef1234567890abcdef"

NOTICE = Notice(
    subject="New match: wooden bookshelf",
    body="A wooden bookshelf in Ginza matches your saved search.",
    url="https://mottainai.example/listings/42/",
    unsubscribe_url="https://mottainai.example/alerts/unsubscribe/abc123/",
)


def deliver(**kwargs) -> str:
    """notify() as the worker calls it, after commit: the email it queues is sent as well."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify(**kwargs)


# --- A stand-in for the Messaging API ---------------------------------------------------------


@pytest.fixture
def line_api(settings):
    """The ward has a LINE Official Account, served by the stand-in."""
    with StandIn(answer=PUSH_ANSWER, content_type="application/json") as stand_in:  # 200 and the body LINE sends
        settings.LINE_MESSAGING_API_URL = stand_in.url
        settings.LINE_MESSAGING_CHANNEL_TOKEN = TOKEN
        yield stand_in


@pytest.fixture
def alice_on_line(alice):
    """Alice signed in with LINE once, so her account carries her LINE user id."""
    SocialAccount.objects.create(user=alice, provider="line", uid=ALICE_UID)
    return alice


# --- Email ------------------------------------------------------------------------------------


def test_email_carries_the_body_both_links_and_one_click_unsubscribe_headers(alice):
    assert deliver(user=alice, notice=NOTICE) == "email"

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

    assert deliver(user=alice, notice=notice) == "email"

    assert mail.outbox[0].subject == "[Mottainai] New match: bookshelf"


def test_the_email_channel_never_pushes_to_line_even_for_a_line_resident(line_api, alice_on_line):
    assert deliver(user=alice_on_line, notice=NOTICE, channel="email") == "email"

    assert line_api.received == []
    assert len(mail.outbox) == 1


# --- LINE -------------------------------------------------------------------------------------


def test_a_line_resident_gets_a_push_with_the_token_their_uid_and_the_links(line_api, alice_on_line):
    assert deliver(user=alice_on_line, notice=NOTICE, channel="line") == "line"

    [push] = line_api.received
    assert push.path == "/v2/bot/message/push"
    assert push.headers["Authorization"] == f"Bearer {TOKEN}"
    assert push.headers["Content-Type"] == "application/json"
    assert push.json()["to"] == ALICE_UID
    [message] = push.json()["messages"]
    assert message["type"] == "text"
    assert message["text"].startswith(NOTICE.subject + "\n")
    assert NOTICE.body in message["text"]
    assert NOTICE.url in message["text"]
    assert NOTICE.unsubscribe_url in message["text"]
    assert mail.outbox == []


def test_a_long_body_is_shortened_to_lines_limit_but_keeps_both_links(line_api, alice_on_line):
    # Emoji count as two UTF-16 units at LINE, so a naive len() would overshoot the limit.
    notice = Notice(subject="Many items", body="🍎" * 4000, url=NOTICE.url, unsubscribe_url=NOTICE.unsubscribe_url)

    assert deliver(user=alice_on_line, notice=notice, channel="line") == "line"

    text = line_api.received[0].json()["messages"][0]["text"]
    assert len(text.encode("utf-16-le")) // 2 <= LINE_TEXT_LIMIT
    assert "\ufffd" not in text  # no emoji was cut in half
    assert "…" in text
    assert text.endswith(NOTICE.unsubscribe_url)
    assert NOTICE.url in text


@pytest.mark.parametrize(
    ("token", "has_line_login", "expected"),
    [
        (TOKEN, True, True),
        (TOKEN, False, False),  # signed up with email only
        ("", True, False),  # the ward has no Official Account
    ],
)
def test_line_is_available_only_with_a_ward_token_and_a_line_login(settings, alice, token, has_line_login, expected):
    settings.LINE_MESSAGING_CHANNEL_TOKEN = token
    if has_line_login:
        SocialAccount.objects.create(user=alice, provider="line", uid=ALICE_UID)

    assert line_available(alice) is expected


def test_another_providers_login_is_not_a_line_login(settings, alice):
    settings.LINE_MESSAGING_CHANNEL_TOKEN = TOKEN
    SocialAccount.objects.create(user=alice, provider="google", uid="1234567890")

    assert line_available(alice) is False


def test_a_resident_without_a_line_login_gets_email_instead(line_api, bob):
    assert deliver(user=bob, notice=NOTICE, channel="line") == "email"

    assert line_api.received == []
    assert mail.outbox[0].to == ["bob@example.com"]


def test_line_not_configured_means_email(line_api, settings, alice_on_line):
    settings.LINE_MESSAGING_CHANNEL_TOKEN = ""

    assert deliver(user=alice_on_line, notice=NOTICE, channel="line") == "email"

    assert line_api.received == []
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [500, 400, 429])
def test_a_refused_push_falls_back_to_email(line_api, alice_on_line, status, caplog):
    line_api.script = [status]

    assert deliver(user=alice_on_line, notice=NOTICE, channel="line") == "email"

    assert len(line_api.received) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert str(status) in caplog.text
    assert TOKEN not in caplog.text


def test_a_push_that_times_out_falls_back_to_email(line_api, alice_on_line, monkeypatch, caplog):
    monkeypatch.setattr(notify_module, "LINE_TIMEOUT_SECONDS", 0.2)
    line_api.script = [2.0]

    started = time.monotonic()
    assert deliver(user=alice_on_line, notice=NOTICE, channel="line") == "email"

    assert time.monotonic() - started < 1.5
    assert len(mail.outbox) == 1
    assert "Timeout" in caplog.text


def test_an_unreachable_line_api_falls_back_to_email(settings, alice_on_line):
    settings.LINE_MESSAGING_API_URL = refusing_url()
    settings.LINE_MESSAGING_CHANNEL_TOKEN = TOKEN

    assert deliver(user=alice_on_line, notice=NOTICE, channel="line") == "email"

    assert len(mail.outbox) == 1


# --- Nobody to tell ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["email", "line"])
def test_a_deleted_resident_gets_nothing(line_api, alice_on_line, channel):
    alice_on_line.deleted_at = timezone.now()
    alice_on_line.save(update_fields=["deleted_at"])

    assert deliver(user=alice_on_line, notice=NOTICE, channel=channel) == "none"

    assert line_api.received == []
    assert mail.outbox == []


@pytest.mark.parametrize("channel", ["email", "line"])
def test_an_inactive_resident_gets_nothing(line_api, alice_on_line, channel):
    alice_on_line.is_active = False
    alice_on_line.save(update_fields=["is_active"])

    assert deliver(user=alice_on_line, notice=NOTICE, channel=channel) == "none"

    assert line_api.received == []
    assert mail.outbox == []


def test_an_unknown_channel_is_a_programming_error(alice):
    with pytest.raises(ValueError):
        deliver(user=alice, notice=NOTICE, channel="sms")
