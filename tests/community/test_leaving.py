"""A resident deletes their own posts, and on leaving chooses whether their posts go or stay anonymous."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import user_delete
from community.models import Post, PostReport, RevealRequest, Thread, Topic
from community.selectors import thread_posts_page
from community.services import post_reply, post_report, thread_create
from core.models import AuditRecord
from moderation.board import reveal_decide, reveal_request, reveal_view
from tests.factories import make_user

DELETED_NOTICE = "このコメントは削除されました。"


def _leave(client, choice: str):
    return client.post(
        reverse("accounts:delete"), {"password": "correct-horse-battery", "board_posts": choice, "confirm": "on"}
    )


def _page(client, thread: Thread) -> str:
    return client.get(reverse("community:thread", args=[thread.pk])).content.decode()


# --- deleting one's own post from the board ------------------------------------------------------

def test_a_resident_deletes_their_opening_post_after_confirming_and_the_replies_stay(alice_client, bob_client, thread):
    opening = thread.posts.get(number=1)
    page = _page(alice_client, thread)
    assert reverse("community:post_delete", args=[opening.pk]) in page  # a Delete link on her own post
    reply = thread.posts.get(number=2)
    assert reverse("community:post_delete", args=[reply.pk]) not in page  # none on someone else's

    confirm = alice_client.get(reverse("community:post_delete", args=[opening.pk])).content.decode()
    assert "期間はどれくらいでしたか？" in confirm and "取り消せません" in confirm and "タイトルも消去" in confirm
    opening.refresh_from_db()
    assert opening.status == Post.Status.PUBLISHED  # opening the confirmation deletes nothing

    alice_client.post(reverse("community:post_delete", args=[opening.pk]))
    thread.refresh_from_db()
    page = _page(bob_client, thread)
    assert DELETED_NOTICE in page and "期間はどれくらいでしたか？" not in page and "慣らし保育について" not in page
    assert "2週間でした。" in page and 'id="post-2"' in page  # the reply keeps its place and number
    assert thread.is_listed  # still on the board, for its reply


def test_deleting_ones_own_post_is_the_residents_act_and_writes_no_staff_audit_record(alice_client, thread):
    alice_client.post(reverse("community:post_delete", args=[thread.posts.get(number=1).pk]))
    assert not AuditRecord.objects.exists()


# --- leaving: delete the posts ------------------------------------------------------------------

def test_leaving_with_delete_erases_every_post_and_leaves_a_notice_in_its_place(alice_client, alice, bob, bob_client, thread):
    other = thread_create(author=bob, topic=Topic.SCHOOLS, title="学童の空き", body="空きはありますか？")
    post_reply(thread=other, author=alice, body="銀座の学童は空いていました。")
    alone = thread_create(author=alice, topic=Topic.OTHER, title="返信のないスレッド", body="誰か？")

    assert _leave(alice_client, "erase").status_code == 302

    thread.refresh_from_db()
    assert (thread.title, thread.author_id, thread.is_listed) == ("", None, True)
    page = _page(bob_client, thread)
    assert DELETED_NOTICE in page and "期間はどれくらいでしたか？" not in page and "2週間でした。" in page
    page = _page(bob_client, other)
    assert "空きはありますか？" in page and DELETED_NOTICE in page and "銀座の学童は空いていました。" not in page
    alone.refresh_from_db()
    assert not alone.is_listed  # nothing left to show
    assert "返信のないスレッド" not in bob_client.get(reverse("community:board")).content.decode()
    assert not Post.objects.filter(body__in=["期間はどれくらいでしたか？", "銀座の学童は空いていました。", "誰か？"]).exists()
    assert not Post.objects.filter(author=alice).exists() and not Thread.objects.filter(author=alice).exists()


def test_deleting_the_account_without_a_choice_erases_the_posts(thread, alice, alice_client):
    assert alice_client.post(reverse("accounts:delete"), {"password": "correct-horse-battery", "confirm": "on"}).status_code == 302
    opening = thread.posts.get(number=1)
    assert (opening.status, opening.body, opening.author_id) == (Post.Status.DELETED, "", None)


def test_an_unknown_choice_is_refused_and_nothing_is_deleted(thread, alice, alice_client):
    response = _leave(alice_client, "sell")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.deleted_at is None and thread.posts.get(number=1).body == "期間はどれくらいでしたか？"


# --- leaving: keep the posts anonymous ----------------------------------------------------------

def test_leaving_with_keep_leaves_the_posts_under_their_ids_linked_to_no_account(alice_client, alice, bob_client, thread):
    opening = thread.posts.get(number=1)
    assert _leave(alice_client, "keep").status_code == 302
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert (opening.status, opening.body, opening.author_id, thread.author_id) == (Post.Status.PUBLISHED, "期間はどれくらいでしたか？", None, None)
    page = _page(bob_client, thread)
    assert "慣らし保育について" in page and "期間はどれくらいでしたか？" in page
    assert f"ID:{opening.pseudonym}" in page  # the same ID as before
    assert "退会" not in page and alice.email not in page


def test_the_starter_badge_follows_the_pseudonym_once_the_starter_has_left(thread, alice, bob):
    post_reply(thread=thread, author=alice, body="スレ主の追記です。")
    other_leaver = make_user(email="leaver@example.com", name="たいかい")
    post_reply(thread=thread, author=other_leaver, body="別の人の返信です。")
    user_delete(user=alice, erase_posts=False)
    user_delete(user=other_leaver, erase_posts=False)
    thread.refresh_from_db()
    posts = thread_posts_page(thread=thread, viewer=bob, page=1).posts
    assert [(p.body, p.is_starter) for p in posts] == [
        ("期間はどれくらいでしたか？", True), ("2週間でした。", False), ("スレ主の追記です。", True), ("別の人の返信です。", False),
    ]


def test_a_staff_reveal_cannot_lead_back_to_an_account_that_left(thread, alice, bob, staff, staff2):
    opening = thread.posts.get(number=1)
    post_report(post=opening, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO)
    request = reveal_request(post=opening, actor=staff, reason="照会")
    reveal_decide(request=request, actor=staff2, approve=True, reason="確認")
    user_delete(user=alice, erase_posts=False)
    with pytest.raises(ValidationError) as caught:
        reveal_view(request=RevealRequest.objects.get(), actor=staff)
    assert caught.value.code == "detached"
    assert RevealRequest.objects.get().status == RevealRequest.Status.APPROVED  # nothing was shown
    RevealRequest.objects.update(status=RevealRequest.Status.REFUSED)
    opening.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        reveal_request(post=opening, actor=staff, reason="もう一度")
    assert caught.value.code == "detached"


def test_the_staff_page_says_so_and_offers_no_warning_to_an_author_who_left(thread, alice, bob, staff, staff2, staff_client):
    opening = thread.posts.get(number=1)
    post_report(post=opening, reporter=bob, reason=PostReport.Reason.HARASSMENT)
    request = reveal_request(post=opening, actor=staff, reason="照会")
    reveal_decide(request=request, actor=staff2, approve=True, reason="確認")
    user_delete(user=alice, erase_posts=False)
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(reverse("community_staff:reveal_show", args=[request.pk]), follow=True)
    assert "The author has deleted their account" in response.content.decode()
    warn = reverse("moderation:report_act", kwargs={"kind": "post", "pk": opening.pk, "action": "warn"})
    assert warn not in staff_client.get(reverse("moderation:report_detail", kwargs={"kind": "post", "pk": opening.pk})).content.decode()
    assert staff_client.post(warn, {"reason": "注意"}).status_code == 403


def test_the_deletion_page_asks_what_happens_to_the_board_posts(alice_client):
    page = alice_client.get(reverse("accounts:delete")).content.decode()
    assert "掲示板" in page and 'value="erase"' in page and 'value="keep"' in page
    assert re.search(r'<input type="radio" name="board_posts" value="erase"[^>]* checked', page)  # deleting is the default
