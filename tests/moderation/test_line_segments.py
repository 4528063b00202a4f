"""Segment messages on LINE (セグメント配信): who they reach, the preview, the batches of 500
against a Messaging API stand-in, retries, the audit row and what staff may not send."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import PostalCode, User
from core.models import AuditRecord
from listings.models import Category
from notifications.models import LineLink, Preference, SegmentBatch, SegmentMessage
from notifications.segments import segment_audience, segment_batch_send
from tests.factories import make_user
from tests.stand_in import StandIn

pytestmark = pytest.mark.django_db

URL = "/staff/line/segments/"
GINZA, TSUKISHIMA = "1040061", "1040052"


@pytest.fixture
def line_api(settings):
    with StandIn(answer=b"{}", content_type="application/json") as stand_in:
        settings.LINE_MESSAGING_CHANNEL_TOKEN = "token"
        settings.LINE_MESSAGING_CHANNEL_SECRET = "secret"
        settings.LINE_MESSAGING_API_URL = stand_in.url
        yield stand_in


def town(code: str):
    return PostalCode.objects.get(code=code).town


def category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def linked(user: User, *, news: bool = True, interests: tuple[str, ...] = ()) -> User:
    LineLink.objects.create(user=user, line_user_id=f"U{user.pk:032x}")
    Preference.objects.create(user=user, line_news=news, line_categories=[category(slug).pk for slug in interests])
    return user


def many_linked(count: int, code: str = GINZA) -> None:
    """`count` verified residents of one town, linked and opted in, written in bulk."""
    home = town(code)
    users = User.objects.bulk_create(
        User(email=f"many{i}@example.com", display_name="住民", postal_code=code, town=home) for i in range(count)
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users)
    LineLink.objects.bulk_create(LineLink(user=user, line_user_id=f"U{user.pk:032x}") for user in users)
    Preference.objects.bulk_create(Preference(user=user, line_news=True) for user in users)


def post(client, action: str = "preview", **data):
    return client.post(URL, {"action": action, **data})


def send(client, captured, **data):
    """Preview, then send with the count the preview showed, running the tasks after commit."""
    expected = post(client, **data).context["preview"]["count"]
    with captured(execute=True):
        return post(client, "send", expected=expected, **data)


def test_the_audience_is_linked_opted_in_active_verified_residents_of_the_towns_and_interests(alice, bob, carol):
    linked(alice, interests=("furniture",))
    linked(bob, interests=("books", "clothing"))
    linked(make_user(postal_code=GINZA), news=False)  # opted out
    make_user(postal_code=GINZA)  # not linked
    Preference.objects.create(user=make_user(postal_code=GINZA), line_news=True)  # opted in, never linked
    linked(carol)  # email not verified
    linked(make_user(postal_code=GINZA, suspended_at=timezone.now()))
    linked(make_user(postal_code=GINZA, deleted_at=timezone.now()))
    linked(make_user(postal_code=GINZA, is_active=False))
    everyone = segment_audience(town_ids=[], category_ids=[])
    assert everyone == [alice.line_link.line_user_id, bob.line_link.line_user_id]
    assert segment_audience(town_ids=[town(TSUKISHIMA).pk], category_ids=[]) == [bob.line_link.line_user_id]
    assert segment_audience(town_ids=[], category_ids=[category("furniture").pk, category("books").pk]) == everyone  # any match
    assert segment_audience(town_ids=[], category_ids=[category("clothing").pk]) == [bob.line_link.line_user_id]
    assert segment_audience(town_ids=[town(GINZA).pk], category_ids=[category("books").pk]) == []


def test_the_preview_shows_the_bubble_and_the_count_and_sends_nothing(staff_client, alice, bob, line_api):
    linked(alice)
    linked(bob)
    response = post(staff_client, text="資源回収の日が変わります。\n詳しくは区のサイトへ。", towns=[town(GINZA).pk])
    page = response.content.decode()
    assert '<p class="line-bubble">資源回収の日が変わります。\n詳しくは区のサイトへ。</p>' in page
    assert "1人に届きます。" in page
    assert "1人に送信する" in page
    assert line_api.received == [] and not SegmentMessage.objects.exists()


def test_1201_recipients_go_in_three_multicasts_with_their_own_retry_keys(staff, staff_client, line_api, django_capture_on_commit_callbacks):
    many_linked(1201)
    response = send(staff_client, django_capture_on_commit_callbacks, text="粗大ごみの受付時間のお知らせ")
    assert response.status_code == 302
    assert [call.path for call in line_api.received] == ["/v2/bot/message/multicast"] * 3
    bodies = [call.json() for call in line_api.received]
    assert [len(body["to"]) for body in bodies] == [500, 500, 201]
    assert len({user_id for body in bodies for user_id in body["to"]}) == 1201
    assert bodies[0]["messages"] == [{"type": "text", "text": "粗大ごみの受付時間のお知らせ"}]
    keys = [call.headers["X-Line-Retry-Key"] for call in line_api.received]
    assert len(set(keys)) == 3
    assert sorted(keys) == sorted(str(key) for key in SegmentBatch.objects.values_list("retry_key", flat=True))
    message = SegmentMessage.objects.get()
    assert (message.status, message.recipients) == ("sent", 1201)
    assert all(ids == [] for ids in SegmentBatch.objects.values_list("line_user_ids", flat=True))  # not kept once sent
    page = staff_client.get(URL).content.decode()
    assert "粗大ごみの受付時間のお知らせ" in page and "1201 / 1201" in page and "送信済み" in page


def test_a_busy_line_is_tried_again_with_the_same_key_and_a_conflict_counts_as_sent(staff_client, alice, line_api, django_capture_on_commit_callbacks):
    linked(alice)
    line_api.script = [500, 409]
    send(staff_client, django_capture_on_commit_callbacks, text="お知らせ")
    first, second = line_api.received
    assert first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"]
    batch = SegmentBatch.objects.get()
    assert (batch.status, batch.attempts) == ("sent", 2)
    assert SegmentMessage.objects.get().status == "sent"


def test_a_task_run_twice_sends_once(staff_client, alice, line_api, django_capture_on_commit_callbacks):
    linked(alice)
    send(staff_client, django_capture_on_commit_callbacks, text="お知らせ")
    batch = SegmentBatch.objects.get()
    assert segment_batch_send(batch_id=batch.pk) == "sent"
    assert len(line_api.received) == 1


def test_a_refused_multicast_fails_the_batch(staff_client, alice, line_api, django_capture_on_commit_callbacks):
    linked(alice)
    line_api.script = [400]
    send(staff_client, django_capture_on_commit_callbacks, text="お知らせ")
    assert len(line_api.received) == 1
    assert SegmentMessage.objects.get().status == "failed"
    assert "0 / 1" in staff_client.get(URL).content.decode()


def test_sending_is_audited_with_the_audience_and_count_never_the_recipients(staff, staff_client, alice, bob, line_api, django_capture_on_commit_callbacks):
    linked(alice, interests=("furniture",))
    linked(bob)
    send(staff_client, django_capture_on_commit_callbacks, text="家具の回収", towns=[town(GINZA).pk], categories=[category("furniture").pk])
    record = AuditRecord.objects.get(action=AuditRecord.Action.LINE_SEGMENT_SEND)
    assert record.actor == staff
    assert record.after == {"towns": ["銀座"], "categories": ["家具"], "recipients": 1, "text": "家具の回収"}
    assert alice.line_link.line_user_id not in str(record.after) + record.target_repr
    page = staff_client.get(reverse("moderation:audit_log")).content.decode()
    assert "住民にLINEでメッセージを送信" in page


@pytest.mark.parametrize(("data", "error"), [
    ({"text": "   "}, "このフィールドは必須です。"),
    ({"text": "あ" * 5001}, "5000"),
    ({"text": "😀" * 2501}, "LINEのメッセージは5000文字まで"),
    ({"text": "お知らせ", "towns": ["999999"]}, "町名 999999 はありません"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(staff_client, alice, line_api, data, error):
    linked(alice)
    response = post(staff_client, "send", expected=1, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["preview"] is None
    assert not SegmentMessage.objects.exists() and not AuditRecord.objects.exists() and line_api.received == []


def test_sending_needs_the_count_the_preview_showed_and_somebody_to_send_to(staff_client, alice, bob, line_api):
    linked(alice)
    response = post(staff_client, "send", expected=2, text="お知らせ")
    assert "プレビューの後で送信先の人数が変わりました" in response.content.decode()
    response = post(staff_client, "send", expected=0, text="お知らせ", towns=[town(TSUKISHIMA).pk])
    assert "この条件に合う住民はいません" in response.content.decode()
    assert not SegmentMessage.objects.exists() and line_api.received == []


def test_residents_cannot_open_the_page(alice_client, alice, line_api):
    linked(alice)
    assert alice_client.get(URL).status_code == 403
    assert alice_client.post(URL, {"action": "send", "expected": 1, "text": "お知らせ"}).status_code == 403
    assert not SegmentMessage.objects.exists()


def test_the_staff_tab_bar_links_the_page(staff_client):
    page = staff_client.get(reverse("moderation:home")).content.decode()
    assert f'href="{URL}"' in page
