"""Notices on LINE for a linked resident, against a Messaging API stand-in."""

import pytest
from django.core import mail

from notifications.models import Channel, Delivery, Event, LineLink, Preference
from notifications.services import Notice, notice_send
from tests.stand_in import StandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_api(settings):
    with StandIn(answer=b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}', content_type="application/json") as stand_in:
        settings.LINE_MESSAGING_CHANNEL_TOKEN = "token"
        settings.LINE_MESSAGING_CHANNEL_SECRET = "secret"
        settings.LINE_MESSAGING_API_URL = stand_in.url
        yield stand_in


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notice_send(**kwargs)

    return send


def request_notice() -> Notice:
    return Notice(
        event=Event.REQUEST, key="request:7", title="リクエストが届きました", body="「青いソファ」にリクエストがありました。",
        path="/messages/7/", actions=[{"label": "取り置きする", "data": "reserve:7"}, {"label": "返信する", "uri": "https://example.org/messages/7/"}],
    )


def test_a_linked_resident_gets_the_notice_with_quick_replies(alice, line_api, send):
    LineLink.objects.create(user=alice, line_user_id="U" + "a" * 32)
    assert send(user=alice, notice=request_notice()) == {"line"}
    [push] = line_api.received
    assert push.path == "/v2/bot/message/push"
    headers = {name.lower(): value for name, value in push.headers.items()}
    assert headers["authorization"] == "Bearer token"
    assert len(headers["x-line-retry-key"]) == 36
    body = push.json()
    assert body["to"] == "U" + "a" * 32
    [message] = body["messages"]
    assert message["text"].startswith("リクエストが届きました\n「青いソファ」にリクエストがありました。\n")
    assert message["text"].endswith("/messages/7/")
    items = message["quickReply"]["items"]
    assert [item["action"]["label"] for item in items] == ["取り置きする", "返信する"]
    assert items[0]["action"] == {"type": "postback", "label": "取り置きする", "data": "reserve:7", "displayText": "取り置きする"}
    assert items[1]["action"]["type"] == "uri"


def test_a_busy_line_is_tried_again_with_the_same_retry_key(alice, line_api, send):
    LineLink.objects.create(user=alice, line_user_id="U" + "b" * 32)
    line_api.script = [500]
    send(user=alice, notice=request_notice())
    first, second = line_api.received
    assert first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"]
    assert Delivery.objects.get(channel=Channel.LINE).status == "sent"


def test_a_refused_push_is_emailed_instead_once(alice, line_api, send):
    LineLink.objects.create(user=alice, line_user_id="U" + "c" * 32)
    Preference.objects.create(user=alice, channels={Event.REQUEST: [Channel.LINE]})
    line_api.script = [400]
    send(user=alice, notice=request_notice())
    send(user=alice, notice=request_notice())
    assert len(line_api.received) == 1
    assert [message.subject.endswith("リクエストが届きました") for message in mail.outbox] == [True]


def test_without_a_link_nothing_goes_to_line(alice, line_api, send):
    assert send(user=alice, notice=request_notice()) == set()  # requests do not email by default
    assert line_api.received == []
