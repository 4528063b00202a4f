import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community.models import PostReport, Topic
from community.services import post_report, thread_create
from core.models import AuditRecord
from listings.models import Listing, ListingReport
from messaging.models import Message, MessageReport
from messaging.services.conversations import conversation_start, message_report, message_send
from messaging.services.handover import reservation_create
from moderation import services
from moderation.models import AccountWarning
from moderation.reports import open_report_items, report_item
from tests.factories import make_listing


def test_a_resident_reports_a_listing_and_staff_hide_it(alice, bob_client, staff_client, django_capture_on_commit_callbacks):
    listing = make_listing(alice, title="怪しい出品")
    response = bob_client.post(reverse("listings:report", args=[listing.pk]), {"reason": "scam", "note": "前払いを求められた"})
    assert response.status_code == 302
    assert [item.target for item in open_report_items()] == [listing]
    queue = staff_client.get(reverse("moderation:report_queue")).content.decode()
    assert "怪しい出品" in queue and "前払いを求められた" in queue
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("moderation:report_act", args=["listing", listing.pk, "hide"]), {"reason": "前払いの要求は禁止です"})
    listing.refresh_from_db()
    assert (listing.status, listing.rejection_reason) == (Listing.Status.HIDDEN, "前払いの要求は禁止です")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert ListingReport.objects.get().status == "resolved"
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LISTING_HIDE).exists()
    bob_client.cookies["django_language"] = "en"
    assert "Handled" in bob_client.get(reverse("my_reports")).content.decode()
    assert listing not in Listing.objects.filter(status__in=["published", "reserved"])


def test_a_resident_cannot_report_their_own_listing(alice, alice_client):
    listing = make_listing(alice)
    response = alice_client.post(reverse("listings:report", args=[listing.pk]), {"reason": "other"})
    assert response.status_code == 200 and not ListingReport.objects.exists()


def test_dismissed_reports_tell_the_reporter_no_action_was_needed(alice, bob, bob_client, staff):
    listing = make_listing(alice)
    from listings.services import listing_report

    listing_report(listing=listing, reporter=bob, reason="other")
    services.reports_dismiss(item=report_item("listing", listing.pk), actor=staff, reason="問題なし")
    bob_client.cookies["django_language"] = "en"
    assert "no action needed" in bob_client.get(reverse("my_reports")).content.decode()
    assert listing.reports.get().status == "dismissed"


@pytest.fixture
def reported_message(alice, bob):
    listing = make_listing(alice)
    conversation = conversation_start(listing=listing, requester=bob, body="まだありますか？")
    message = message_send(conversation=conversation, sender=alice, body="失礼なメッセージ")
    message_report(message=message, reporter=bob, reason=MessageReport.Reason.HARASSMENT)
    return message


def test_staff_read_a_reported_conversation_only_through_the_report_and_it_is_audited(reported_message, staff, staff_client):
    report = MessageReport.objects.get()
    response = staff_client.get(reverse("moderation:reported_conversation", args=[report.pk]))
    html = response.content.decode()
    assert "まだありますか？" in html and "失礼なメッセージ" in html
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONVERSATION_VIEW)
    assert (record.actor, record.target_id) == (staff, str(reported_message.conversation_id))


def test_a_reported_conversation_shows_events_as_neutral_sentences_naming_the_participants(reported_message, alice, staff_client):
    reservation_create(conversation=reported_message.conversation, actor=alice)
    url = reverse("moderation:reported_conversation", args=[MessageReport.objects.get().pk])
    html = staff_client.get(url).content.decode()
    assert "ありすさんがぼぶさんのために品物を取り置きしました。" in html and "[reserved]" not in html
    assert "このやりとりの相手の方" not in html and "あなた" not in html
    staff_client.cookies["django_language"] = "en"
    assert "ありす reserved the item for ぼぶ." in staff_client.get(url).content.decode()


def test_staff_read_the_lottery_and_pickup_events_in_the_third_person(alice, bob, staff_client):
    from datetime import timedelta

    from django.utils import timezone

    from messaging.services.lottery import lottery_draw, lottery_start
    from messaging.services.pickup import pickup_propose

    listing = make_listing(alice, title="本棚")
    conversation = conversation_start(listing=listing, requester=bob, body="ほしいです")
    closes = timezone.now() + timedelta(hours=1)
    lottery_start(listing=listing, actor=alice, closes_at=closes)
    reservation = lottery_draw(listing_id=listing.pk, now=closes + timedelta(seconds=1))
    pickup_propose(reservation=reservation, actor=bob, when=timezone.localtime().replace(hour=15, minute=0) + timedelta(days=2))
    message_report(message=message_send(conversation=conversation, sender=alice, body="失礼なメッセージ"), reporter=bob, reason="harassment")
    html = staff_client.get(reverse("moderation:reported_conversation", args=[MessageReport.objects.get().pk])).content.decode()
    assert "ぼぶさんが抽選に当選し、品物が取り置きされました。" in html
    assert re.search(r"ぼぶさんが受け渡し日時を提案しました：(\d{4}年)?\d{1,2}月\d{1,2}日\([月火水木金土日]\) 15:00", html)  # any clock
    assert "あなた" not in html and "You won" not in html


def test_a_hidden_message_shows_a_notice_to_both_participants(reported_message, staff, bob_client):
    services.reported_hide(item=report_item("message", reported_message.pk), actor=staff, reason="暴言")
    assert Message.objects.get(pk=reported_message.pk).hidden_by_staff
    html = bob_client.get(reverse("messaging:conversation", args=[reported_message.conversation_id])).content.decode()
    assert "失礼なメッセージ" not in html
    history = bob_client.get(reverse("messaging:history", args=[reported_message.conversation_id])).json()
    assert "失礼なメッセージ" not in str(history)


def test_a_board_report_never_shows_the_author_and_warning_them_keeps_them_anonymous(alice, bob, staff, staff_client, django_capture_on_commit_callbacks):
    thread = thread_create(author=alice, topic=Topic.SCHOOLS, title="先生について", body="某先生の悪口")
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO)
    for url in [reverse("moderation:report_queue"), reverse("moderation:report_detail", args=["post", post.pk])]:
        html = staff_client.get(url).content.decode()
        assert "某先生の悪口" in html
        assert "alice@example.com" not in html and "ありす" not in html and f"/staff/accounts/{alice.pk}/" not in html
    assert staff_client.post(reverse("moderation:report_act", args=["post", post.pk, "suspend"]), {"reason": "x"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("moderation:report_act", args=["post", post.pk, "warn"]), {"reason": "個人名を書かないでください"})
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert AccountWarning.objects.get().user == alice
    record = AuditRecord.objects.get(action=AuditRecord.Action.ACCOUNT_WARN)
    assert record.target_type == "community.post"  # not the account: the log does not unmask the author
    assert PostReport.objects.get().status == "resolved"


def test_suspension_stops_posting_messaging_and_requests_and_hides_listings_until_restored(alice, bob, carol, staff, alice_client, client, django_capture_on_commit_callbacks):
    published = make_listing(alice, title="公開中")
    reserved = make_listing(alice, title="取り置き中")
    conversation = conversation_start(listing=reserved, requester=bob, body="ください")
    reservation_create(conversation=conversation, actor=alice)
    other = make_listing(bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.account_suspend(user=alice, actor=staff, reason="規約違反の繰り返し")
    alice.refresh_from_db()
    assert alice.is_suspended
    assert set(Listing.objects.filter(owner=alice).values_list("status", flat=True)) == {Listing.Status.HIDDEN}
    assert "公開中" not in client.get(reverse("listings:browse")).content.decode()
    alice_client.cookies["django_language"] = "en"
    response = alice_client.get(reverse("listings:create"))
    assert response.status_code == 403 and "suspended" in response.content.decode()
    with pytest.raises(PermissionDenied):
        thread_create(author=alice, topic=Topic.OTHER, title="題", body="本文")
    with pytest.raises((PermissionDenied, ValidationError)):
        conversation_start(listing=other, requester=alice, body="ください")
    with pytest.raises(ValidationError):
        message_send(conversation=conversation, sender=alice, body="こんにちは")
    assert "規約違反の繰り返し" in mail.outbox[0].body

    services.account_restore(user=alice, actor=staff, reason="反省の連絡があった")
    alice.refresh_from_db()
    assert not alice.is_suspended
    published.refresh_from_db()
    reserved.refresh_from_db()
    assert (published.status, reserved.status) == (Listing.Status.PUBLISHED, Listing.Status.RESERVED)
    actions = list(AuditRecord.objects.filter(action__startswith="account.").values_list("action", flat=True).order_by("id"))
    assert actions == [AuditRecord.Action.ACCOUNT_SUSPEND, AuditRecord.Action.ACCOUNT_RESTORE]


def test_staff_cannot_suspend_themselves_or_suspend_twice(alice, staff):
    with pytest.raises(ValidationError):
        services.account_suspend(user=staff, actor=staff, reason="テスト")
    services.account_suspend(user=alice, actor=staff, reason="一回目")
    with pytest.raises(ValidationError):
        services.account_suspend(user=alice, actor=staff, reason="二回目")


def test_the_account_page_suspends_and_restores(alice, staff_client):
    url = reverse("moderation:account", args=[alice.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(reverse("moderation:account_suspend", args=[alice.pk]), {"reason": ""})
    alice.refresh_from_db()
    assert not alice.is_suspended  # a reason is required
    staff_client.post(reverse("moderation:account_suspend", args=[alice.pk]), {"reason": "迷惑行為"})
    alice.refresh_from_db()
    assert alice.is_suspended
    staff_client.post(reverse("moderation:account_restore", args=[alice.pk]), {"reason": "確認済み"})
    alice.refresh_from_db()
    assert not alice.is_suspended


def test_the_reports_queue_and_the_audit_log_use_a_constant_number_of_queries(alice, bob, staff, staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from listings.services import listing_report
    from tests.factories import make_user

    def add_reports(n):
        for i in range(n):
            reporter = make_user(email=f"rep{n}{i}@example.com")
            listing = make_listing(alice)
            listing_report(listing=listing, reporter=reporter, reason="other")
            thread = thread_create(author=alice, topic=Topic.OTHER, title=f"題{n}{i}", body="本文")
            post_report(post=thread.posts.get(number=1), reporter=reporter, reason=PostReport.Reason.OTHER)
            conversation = conversation_start(listing=make_listing(bob), requester=reporter, body="こんにちは")
            message_report(message=message_send(conversation=conversation, sender=bob, body="返事"), reporter=reporter, reason="spam")
            services.account_warn(user=reporter, actor=staff, reason="記録のため")

    counts = []
    for n in (1, 3):
        add_reports(n)
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(reverse("moderation:report_queue")).status_code == 200
            assert staff_client.get(reverse("moderation:audit_log")).status_code == 200
            assert staff_client.get(reverse("moderation:home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_warning_about_a_board_post_stays_off_the_authors_account_page(alice, bob, staff, staff2, staff_client):
    from moderation.board import reveal_decide, reveal_request, reveal_view

    thread = thread_create(author=alice, topic=Topic.SCHOOLS, title="先生について", body="某先生の悪口")
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO)
    staff_client.post(reverse("moderation:report_act", args=["post", post.pk, "warn"]), {"reason": "個人名を書かないでください"})
    services.account_warn(user=alice, actor=staff, reason="出品の説明を直してください")
    html = staff_client.get(reverse("moderation:account", args=[alice.pk])).content.decode()
    assert "出品の説明を直してください" in html  # a warning given on the account itself is its history
    assert "個人名を書かないでください" not in html
    # Only the requester of an approved four-eyes reveal sees it, with the author.
    request = reveal_request(post=post, actor=staff, reason="再発のため")
    reveal_decide(request=request, actor=staff2, approve=True, reason="確認")
    html = staff_client.post(reverse("community_staff:reveal_show", args=[request.pk])).content.decode()
    assert "alice@example.com" in html and "個人名を書かないでください" in html


def test_the_report_pages_show_the_staff_tabs_with_reports_current(alice, bob, reported_message, staff_client):
    from listings.services import listing_report

    listing = make_listing(alice, title="怪しい出品")
    listing_report(listing=listing, reporter=bob, reason="other")
    current = f'<a href="{reverse("moderation:report_queue")}" aria-current="page">通報</a>'
    for url in [
        reverse("moderation:report_detail", args=["listing", listing.pk]),
        reverse("moderation:report_detail", args=["message", reported_message.pk]),
        reverse("moderation:reported_conversation", args=[MessageReport.objects.get().pk]),
    ]:
        html = staff_client.get(url).content.decode()
        assert 'class="topic-tabs staff-nav"' in html, url
        assert current in html and html.count('aria-current="page"') == 1, url
