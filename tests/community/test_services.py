from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from community.models import Helpful, Post, PostReport, Thread, Topic
from community.services import (
    helpful_toggle, post_delete, post_edit, post_reply, post_report, pseudonym, thread_create,
)
from core.ratelimit import RateLimited
from moderation.ngwords import ng_word_add


def test_a_pseudonym_is_stable_in_a_thread_and_differs_across_threads(alice, bob):
    one = thread_create(author=alice, topic=Topic.SCHOOLS, title="一つ目", body="本文")
    two = thread_create(author=alice, topic=Topic.SCHOOLS, title="二つ目", body="本文")
    reply = post_reply(thread=one, author=alice, body="追記です")
    first = one.posts.get(number=1)
    assert first.pseudonym == reply.pseudonym
    assert two.posts.get(number=1).pseudonym != first.pseudonym
    assert post_reply(thread=one, author=bob, body="返信").pseudonym != first.pseudonym
    assert pseudonym(thread_id=one.pk, user_id=alice.pk) == first.pseudonym


def test_replies_are_numbered_in_order_and_counted_on_the_thread(thread, bob):
    post = post_reply(thread=thread, author=bob, body="三番目")
    assert post.number == 3
    thread.refresh_from_db()
    assert (thread.last_number, thread.reply_count, thread.is_listed) == (3, 2, True)
    assert thread.last_activity_at == post.created_at


def test_it_refuses_unverified_accounts_and_empty_or_oversized_text(carol, alice, settings):
    with pytest.raises(PermissionDenied):
        thread_create(author=carol, topic=Topic.OTHER, title="題名", body="本文")
    with pytest.raises(ValidationError):
        thread_create(author=alice, topic=Topic.OTHER, title="  ", body="本文")
    with pytest.raises(ValidationError):
        thread_create(author=alice, topic=Topic.OTHER, title="題名", body="あ" * (settings.COMMUNITY_POST_MAX_LENGTH + 1))
    with pytest.raises(ValidationError):
        thread_create(author=alice, topic="gossip", title="題名", body="本文")
    assert not Thread.objects.exists()


def test_a_post_with_an_ng_word_is_held_and_its_thread_not_listed(alice, staff):
    ng_word_add(actor=staff, word="バカ")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="題名", body="ﾊﾞｶな先生")  # half-width katakana
    post = thread.posts.get(number=1)
    assert post.status == Post.Status.HELD
    assert post.held_words == "バカ"  # as staff wrote it
    assert not thread.is_listed


def test_a_held_reply_is_not_counted(thread, bob, staff):
    ng_word_add(actor=staff, word="詐欺")
    post = post_reply(thread=thread, author=bob, body="あの園は詐欺です")
    thread.refresh_from_db()
    assert post.status == Post.Status.HELD
    assert thread.reply_count == 1


def test_the_author_can_edit_within_the_window_only(thread, alice, bob, settings):
    post = thread.posts.get(number=1)
    post_edit(post=post, author=alice, body="直しました", title="新しい題名")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body, thread.title) == ("直しました", "新しい題名")
    assert post.edited_at is not None
    with pytest.raises(PermissionDenied):
        post_edit(post=post, author=bob, body="乗っ取り")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=settings.COMMUNITY_EDIT_MINUTES, seconds=1))
    post.refresh_from_db()
    with pytest.raises(ValidationError):
        post_edit(post=post, author=alice, body="遅すぎる編集")
    post.refresh_from_db()
    assert post.body == "直しました"


def test_deleting_the_opening_post_erases_its_text_and_keeps_the_replies(thread, alice):
    post = thread.posts.get(number=1)
    post_delete(post=post, author=alice)
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.status, post.body, thread.title) == (Post.Status.DELETED, "", "")
    assert thread.is_listed  # the reply is still there
    assert thread.posts.get(number=2).body == "2週間でした。"


def test_only_the_author_can_delete(thread, bob):
    with pytest.raises(PermissionDenied):
        post_delete(post=thread.posts.get(number=1), author=bob)


def test_helpful_is_one_mark_per_resident_and_never_on_ones_own_post(thread, alice, bob):
    post = thread.posts.get(number=1)
    assert helpful_toggle(post=post, user=bob) is True
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert helpful_toggle(post=post, user=bob) is False  # a second press takes the mark back
    post.refresh_from_db()
    assert post.helpful_count == 0
    assert not Helpful.objects.exists()
    with pytest.raises(ValidationError):
        helpful_toggle(post=post, user=alice)


def test_rate_limits_stop_new_threads_and_posts_with_a_clear_message(alice, settings):
    settings.COMMUNITY_THREADS_PER_DAY = 2
    settings.COMMUNITY_POSTS_PER_HOUR = 3
    thread = thread_create(author=alice, topic=Topic.OTHER, title="1", body="本文")
    thread_create(author=alice, topic=Topic.OTHER, title="2", body="本文")
    with translation.override("en"):
        with pytest.raises(RateLimited, match="at most 2 threads a day"):
            thread_create(author=alice, topic=Topic.OTHER, title="3", body="本文")
        post_reply(thread=thread, author=alice, body="返信")  # the refused thread did not count as a post
        with pytest.raises(RateLimited, match="at most 3 posts an hour"):
            post_reply(thread=thread, author=alice, body="もう一つ")
    assert Thread.objects.count() == 2 and Post.objects.count() == 3


def test_a_report_waits_for_staff_once_per_reporter(thread, bob):
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO, note="先生の名前")
    post_report(post=post, reporter=bob, reason=PostReport.Reason.OTHER)
    report = PostReport.objects.get()
    assert (report.reason, report.status) == (PostReport.Reason.PERSONAL_INFO, PostReport.Status.OPEN)
    with pytest.raises(ValidationError):
        post_report(post=post, reporter=bob, reason="because")
