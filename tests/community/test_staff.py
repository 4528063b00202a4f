import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User

from community.models import Post, PostReport, RevealRequest
from community.services import post_report
from core.models import AuditRecord
from moderation.board import official_answer, post_approve, post_hide, post_restore, reveal_decide, reveal_request, reveal_view
from moderation.ngwords import ng_word_add


@pytest.fixture
def reported(thread, bob):
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO, note="先生の実名があります")
    return post


def test_hiding_a_post_needs_a_reason_closes_its_reports_and_is_audited(reported, staff):
    with pytest.raises(ValidationError):
        post_hide(post=reported, actor=staff, reason=" ")
    post_hide(post=reported, actor=staff, reason="実名の記載")
    reported.refresh_from_db()
    assert (reported.status, reported.hidden_reason) == (Post.Status.HIDDEN, "実名の記載")
    assert PostReport.objects.get().status == PostReport.Status.RESOLVED
    record = AuditRecord.objects.get(action=AuditRecord.Action.POST_HIDE)
    assert (record.actor, record.target_id, record.reason) == (staff, str(reported.pk), "実名の記載")
    assert (record.before, record.after) == ({"status": "published"}, {"status": "hidden"})
    reported.thread.refresh_from_db()
    assert reported.thread.is_listed and reported.thread.title_hidden  # kept for its reply, title hidden

    post_restore(post=reported, actor=staff, reason="確認の結果、問題なし")
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED
    assert AuditRecord.objects.filter(action=AuditRecord.Action.POST_RESTORE, actor=staff).exists()


def test_residents_cannot_use_staff_actions(reported, bob):
    with pytest.raises(PermissionDenied):
        post_hide(post=reported, actor=bob, reason="気に入らない")


def test_staff_publish_a_held_post(alice, staff):
    from community.models import Topic
    from community.services import thread_create

    ng_word_add(actor=staff, word="最悪")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="最悪の対応", body="本文")
    post = thread.posts.get(number=1)
    post_approve(post=post, actor=staff)
    thread.refresh_from_db()
    assert thread.is_listed
    assert AuditRecord.objects.filter(action=AuditRecord.Action.POST_APPROVE).count() == 1


def test_the_reveal_needs_a_second_staff_member_and_shows_the_author_once(reported, staff, staff2, alice):
    request = reveal_request(post=reported, actor=staff, reason="警察からの照会")
    with pytest.raises(PermissionDenied):
        reveal_decide(request=request, actor=staff, approve=True, reason="自分で承認")
    with pytest.raises(PermissionDenied):
        reveal_view(request=request, actor=staff2)
    with pytest.raises(ValidationError):
        reveal_view(request=request, actor=staff)  # not approved yet
    reveal_decide(request=request, actor=staff2, approve=True, reason="照会文書を確認")
    with pytest.raises(PermissionDenied):
        reveal_view(request=request, actor=staff2)  # only the requester sees it
    author = reveal_view(request=request, actor=staff)
    assert (author["account_id"], author["email"]) == (alice.pk, "alice@example.com")
    with pytest.raises(ValidationError):
        reveal_view(request=request, actor=staff)  # once
    actions = list(AuditRecord.objects.order_by("id").values_list("action", "actor__email", "reason"))
    assert actions == [
        (AuditRecord.Action.REVEAL_REQUEST, "staff@example.com", "警察からの照会"),
        (AuditRecord.Action.REVEAL_APPROVE, "staff2@example.com", "照会文書を確認"),
        (AuditRecord.Action.REVEAL_VIEW, "staff@example.com", "警察からの照会"),
    ]


def test_a_refused_reveal_never_shows_the_author(reported, staff, staff2):
    request = reveal_request(post=reported, actor=staff, reason="確認したい")
    reveal_decide(request=request, actor=staff2, approve=False, reason="理由が不十分")
    with pytest.raises(ValidationError):
        reveal_view(request=request, actor=staff)
    assert RevealRequest.objects.get().status == RevealRequest.Status.REFUSED


def test_only_a_reported_post_can_be_revealed_and_one_request_waits_at_a_time(thread, reported, staff):
    with pytest.raises(ValidationError):
        reveal_request(post=thread.posts.get(number=2), actor=staff, reason="念のため")
    reveal_request(post=reported, actor=staff, reason="一回目")
    with pytest.raises(ValidationError):
        reveal_request(post=reported, actor=staff, reason="二回目")


def test_the_database_refuses_a_self_approved_reveal(reported, staff):
    request = reveal_request(post=reported, actor=staff, reason="確認")
    with pytest.raises(DatabaseError), transaction.atomic():
        RevealRequest.objects.filter(pk=request.pk).update(decided_by=staff)


def test_an_official_answer_is_the_wards_and_not_anonymous(thread, staff, client):
    post = official_answer(thread=thread, actor=staff, body="区の窓口でご案内しています。")
    assert post.is_official and post.pseudonym == ""
    client.cookies["django_language"] = "en"
    html = client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "Answer from the ward" in html
    assert "区の窓口でご案内しています。" in html


def test_audit_records_cannot_be_changed_or_deleted(reported, staff):
    post_hide(post=reported, actor=staff, reason="理由")
    record = AuditRecord.objects.get()
    with pytest.raises(ValidationError):
        AuditRecord.objects.update(reason="書き換え")
    with pytest.raises(ValidationError):
        AuditRecord.objects.all().delete()
    with pytest.raises(ValidationError):
        record.delete()
    record.reason = "書き換え"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_auditrecord SET reason = 'x'")
    assert AuditRecord.objects.get().reason == "理由"


def test_the_audit_log_names_the_post_and_request_of_a_reveal_but_never_the_authors_account(reported, staff, staff2, alice):
    from django.test import Client

    from core.audit import audit_record
    from tests.factories import login_staff

    request = reveal_request(post=reported, actor=staff, reason="警察からの照会")
    reveal_decide(request=request, actor=staff2, approve=True, reason="照会文書を確認")
    reveal_view(request=request, actor=staff)
    record = AuditRecord.objects.get(action=AuditRecord.Action.REVEAL_VIEW)
    assert (record.actor, record.target_type, record.target_id) == (staff, "community.post", str(reported.pk))
    assert record.after == {"request": request.pk}
    # A record written before this fix kept the account; the page every staff member reads drops it.
    audit_record(actor=staff, action=AuditRecord.Action.REVEAL_VIEW, target=reported, after={"request": request.pk, "account": alice.pk})
    other = Client()
    login_staff(other, staff2)
    html = other.get(reverse("moderation:audit_log"), {"action": AuditRecord.Action.REVEAL_VIEW}).content.decode()
    assert html.count("<dt>投稿者確認の申請</dt>") == 2
    assert "account" not in html.split("<tbody>")[1]


def test_hiding_the_opening_post_keeps_the_thread_and_its_replies_with_a_notice(reported, staff, client):
    thread = reported.thread
    post_hide(post=reported, actor=staff, reason="実名の記載")
    replier = Client()
    replier.force_login(User.objects.get(email="replier@example.com"))
    for viewer in (client, replier):
        response = viewer.get(thread.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "2週間でした。" in html  # the reply
        assert "この投稿は掲示板のルールに違反していたため、区が非表示にしました。" in html
        assert "期間はどれくらいでしたか？" not in html and "慣らし保育について" not in html  # neither text nor title
    board = client.get(reverse("community:board")).content.decode()
    assert thread.get_absolute_url() in board and "慣らし保育について" not in board
    reported.refresh_from_db()
    post_restore(post=reported, actor=staff, reason="問題なし")
    assert "慣らし保育について" in client.get(thread.get_absolute_url()).content.decode()


def test_after_moderating_staff_go_back_to_the_queue_and_never_off_site(alice, staff, staff_client):
    from community.models import Topic
    from community.services import thread_create

    ng_word_add(actor=staff, word="最悪")
    post = thread_create(author=alice, topic=Topic.OTHER, title="最悪の対応", body="本文").posts.get(number=1)
    url = reverse("community_staff:post_approve", args=[post.pk])
    queue = reverse("community_staff:queue")
    response = staff_client.post(f"{url}?next={queue}", {"next": queue})
    assert response["Location"] == queue
    for evil in ["https://evil.example/", "javascript:alert(1)", "//evil.example/staff/"]:
        html = staff_client.get(url, {"next": evil}).content.decode()
        assert evil not in html  # not even as the Cancel link


def test_the_reveal_list_says_which_post(reported, staff, staff_client):
    reveal_request(post=reported, actor=staff, reason="警察からの照会")
    html = staff_client.get(reverse("community_staff:reveal_list")).content.decode()
    assert "慣らし保育について #1" in html and reported.get_absolute_url() in html
