"""Limits on what a resident can repeat (core/ratelimit.py): reports, saved searches, board posts,
requests, listings. Past a limit the resident gets the site's 429 page in Japanese (JSON for an API
caller) with Retry-After, and nothing of the refused request is saved; after the wait it works."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import PostalCode
from alerts.models import SavedSearch
from community.models import Post, PostReport, Thread, Topic
from community.services import post_reply, thread_create
from listings.models import Category, Listing, ListingReport
from messaging.models import Conversation, Message, MessageReport
from messaging.services.conversations import conversation_start, message_send
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


def _report(client, listing):
    return client.post(reverse("listings:report", args=[listing.pk]), {"reason": "other", "note": "同じ物を何度も"})


def _assert_japanese_429(response, *texts: str) -> int:
    """The site's page (layout, a way back), saying what was refused and that nothing was saved."""
    assert response.status_code == 429
    page = response.content.decode()
    for text in ("短時間に試行が多すぎます", "送信された内容は保存されていません", "以降にもう一度お試しください", reverse("home"), *texts):
        assert text in page
    return int(response["Retry-After"])


def test_the_eleventh_report_in_an_hour_is_refused_in_japanese_until_the_hour_has_passed(bob_client, alice, clock):
    listings = [make_listing(alice, title=f"品{i}") for i in range(11)]
    for listing in listings[:10]:
        assert _report(bob_client, listing).status_code == 302
    wait = _assert_japanese_429(_report(bob_client, listings[10]), "通報は1時間に10件までです")
    assert 3600 <= wait <= 3600 + 360  # the hour, at most one slice (a tenth) more
    assert ListingReport.objects.count() == 10

    clock.shift(timedelta(minutes=30))  # within the hour: refused, and asking again does not make the wait longer
    assert int(_report(bob_client, listings[10])["Retry-After"]) <= wait - 1800
    clock.shift(timedelta(seconds=wait - 1800))
    assert _report(bob_client, listings[10]).status_code == 302
    assert ListingReport.objects.count() == 11


def test_reports_of_listings_messages_and_posts_count_together(bob_client, alice, bob, settings):
    settings.REPORTS_PER_HOUR = 3
    listing = make_listing(alice)
    conversation = conversation_start(listing=listing, requester=bob, body="譲ってください")
    messages = [message_send(conversation=conversation, sender=alice, body=f"連絡{i}") for i in range(2)]
    thread = thread_create(author=alice, topic=Topic.OTHER, title="題名", body="本文")
    posts = [thread.posts.get(number=1), post_reply(thread=thread, author=alice, body="返信")]

    assert _report(bob_client, listing).status_code == 302
    message_report = reverse("messaging:report", args=[messages[0].pk])
    assert bob_client.post(message_report, {"reason": "spam"}).status_code == 302
    assert bob_client.post(reverse("community:report", args=[posts[0].pk]), {"reason": "harassment"}).status_code == 302

    message_report = reverse("messaging:report", args=[messages[1].pk])
    _assert_japanese_429(bob_client.post(message_report, {"reason": "spam"}), "通報は1時間に3件までです")
    response = bob_client.post(reverse("community:report", args=[posts[1].pk]), {"reason": "harassment"})
    _assert_japanese_429(response, "通報は1時間に3件までです")
    assert (ListingReport.objects.count(), MessageReport.objects.count(), PostReport.objects.count()) == (1, 1, 1)


def test_an_api_caller_gets_json_with_retry_after(bob_client, alice, settings):
    settings.REPORTS_PER_HOUR = 1
    first, second = make_listing(alice), make_listing(alice)
    _report(bob_client, first)
    response = bob_client.post(
        reverse("listings:report", args=[second.pk]), {"reason": "other"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "通報は1時間に1件までです。"
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert ListingReport.objects.count() == 1


def test_saving_and_deleting_searches_over_and_over_is_limited(bob_client, settings, clock):
    settings.ALERTS_SAVED_SEARCHES_PER_HOUR = 2
    for word in ("椅子", "机"):
        assert bob_client.post(reverse("alerts:save"), {"q": word}).status_code == 302
        saved = SavedSearch.objects.get(q=word)
        bob_client.post(reverse("alerts:delete", args=[saved.pk]), {"confirm": "1"})
    assert not SavedSearch.objects.exists()
    wait = _assert_japanese_429(bob_client.post(reverse("alerts:save"), {"q": "本棚"}), "検索条件の保存は1時間に2件までです")
    assert not SavedSearch.objects.exists()
    clock.shift(timedelta(seconds=wait))
    assert bob_client.post(reverse("alerts:save"), {"q": "本棚"}).status_code == 302
    assert SavedSearch.objects.get().q == "本棚"


def test_board_threads_and_replies_are_limited(bob_client, bob, settings, clock):
    settings.COMMUNITY_THREADS_PER_DAY = 1
    settings.COMMUNITY_POSTS_PER_HOUR = 3
    new_thread = {"topic": Topic.OTHER, "title": "二つ目", "body": "本文"}
    assert bob_client.post(reverse("community:thread_create"), {**new_thread, "title": "一つ目"}).status_code == 302
    thread = Thread.objects.get()
    wait = _assert_japanese_429(
        bob_client.post(reverse("community:thread_create"), new_thread), "新しいスレッドを立てられるのは1日1件までです"
    )
    assert 86400 <= wait <= 86400 + 8640
    reply = reverse("community:reply", args=[thread.pk])
    for number in range(2):  # the refused thread took no place among the posts
        assert bob_client.post(reply, {"body": f"返信{number}"}).status_code == 302
    _assert_japanese_429(bob_client.post(reply, {"body": "三つ目"}), "掲示板への投稿は1時間に3件までです")
    assert (Thread.objects.count(), Post.objects.count()) == (1, 3)
    clock.shift(timedelta(seconds=wait))
    assert bob_client.post(reverse("community:thread_create"), new_thread).status_code == 302


def test_asking_about_too_many_listings_a_day_is_limited(bob_client, alice, settings):
    settings.MESSAGING_NEW_CONVERSATIONS_PER_DAY = 1
    first, second = make_listing(alice), make_listing(alice)
    assert bob_client.post(reverse("messaging:start", args=[first.pk]), {"body": "譲ってください"}).status_code == 302
    response = bob_client.post(reverse("messaging:start", args=[second.pk]), {"body": "こちらも"})
    _assert_japanese_429(response, "新しく問い合わせできる出品は1日1件までです")
    assert Conversation.objects.count() == 1 and not Message.objects.filter(body="こちらも").exists()


def test_posting_too_many_listings_a_day_is_limited(bob_client, settings, clock):
    settings.LISTING_CREATE_PER_DAY = 1
    form = {"kind": "offer", "title": "本棚", "description": "譲ります", "category": Category.objects.get(slug="books").pk,
            "condition": "good", "price": "0", "town": PostalCode.objects.get(code="1040052").town_id}
    assert bob_client.post(reverse("listings:create"), form).status_code == 302
    wait = _assert_japanese_429(bob_client.post(reverse("listings:create"), {**form, "title": "椅子"}), "出品は1日1件までです")
    assert list(Listing.objects.values_list("title", flat=True)) == ["本棚"]
    clock.shift(timedelta(seconds=wait))
    assert bob_client.post(reverse("listings:create"), {**form, "title": "椅子"}).status_code == 302
