import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from community.models import Post, PostReport, RevealRequest, Thread, Topic
from community.services import post_reply, post_report, thread_create
from moderation.board import reveal_decide, reveal_request
from moderation.ngwords import ng_word_add
from tests.factories import make_user


# --- writing through the pages -----------------------------------------------------------------

def test_a_resident_starts_a_thread_about_a_facility_and_replies(bob_client, facility):
    response = bob_client.post(
        reverse("community:thread_create") + f"?facility={facility.pk}",
        {"topic": Topic.NURSERIES, "facility": facility.pk, "title": "見学の感想", "body": "園庭が広かったです。"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.facility == facility and thread.is_listed
    response = bob_client.post(reverse("community:reply", args=[thread.pk]), {"body": "追記：給食も美味しそうでした。"})
    assert response.status_code == 302
    html = bob_client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "給食も美味しそうでした" in html
    assert facility.name in bob_client.get(reverse("community:facility", args=[facility.pk])).content.decode()


def test_an_invalid_form_keeps_what_was_typed_and_saves_nothing(bob_client):
    response = bob_client.post(reverse("community:thread_create"), {"topic": "nope", "title": "", "body": "下書きの本文"})
    assert response.status_code == 200
    assert "下書きの本文" in response.content.decode()
    assert not Thread.objects.exists()


def test_pasted_control_characters_are_removed_and_an_invisible_title_is_refused(bob_client):
    response = bob_client.post(
        reverse("community:thread_create"), {"topic": Topic.OTHER, "title": "\u200b\u200b", "body": "本文"}
    )
    assert response.status_code == 200 and response.context["form"].errors["title"] == ["このフィールドは必須です。"]
    assert not Thread.objects.exists()
    response = bob_client.post(
        reverse("community:thread_create"), {"topic": Topic.OTHER, "title": "題名\x07\x1b", "body": "一行目\x0b二行目\ufffe"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.title == "題名"
    assert thread.posts.get().body == "一行目\n二行目"


def test_a_thread_without_a_facility_offers_a_japanese_empty_choice(bob_client):
    page = bob_client.get(reverse("community:thread_create")).content.decode()
    assert "特定の施設なし" in page and "Select an option" not in page


def test_a_held_post_tells_the_author_and_stays_hidden_from_others(bob_client, client, staff):
    ng_word_add(actor=staff, word="NGワード")
    bob_client.cookies["django_language"] = "en"
    response = bob_client.post(
        reverse("community:thread_create"), {"topic": Topic.OTHER, "title": "題名", "body": "ｎｇわーど を含む"}, follow=True
    )
    html = response.content.decode()
    assert "staff check first" in html
    assert "Waiting for staff review" in html
    thread = Thread.objects.get()
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 404
    assert "題名" not in client.get(reverse("community:board")).content.decode()


def test_the_rate_limit_message_is_shown(bob_client, bob, settings):
    settings.COMMUNITY_THREADS_PER_DAY = 1
    thread_create(author=bob, topic=Topic.OTHER, title="一つ目", body="本文")
    bob_client.cookies["django_language"] = "en"
    response = bob_client.post(reverse("community:thread_create"), {"topic": Topic.OTHER, "title": "二つ目", "body": "本文"})
    assert response.status_code == 429
    assert "at most 1 threads a day" in response.content.decode()
    assert Thread.objects.count() == 1


def test_a_resident_reports_a_post(bob_client, thread):
    post = thread.posts.get(number=1)
    response = bob_client.post(reverse("community:report", args=[post.pk]), {"reason": "harassment", "note": "攻撃的"})
    assert response.status_code == 302
    assert PostReport.objects.get().reason == "harassment"
    response = bob_client.post(reverse("community:report", args=[post.pk]), {"reason": "bogus"})
    assert response.status_code == 200 and PostReport.objects.count() == 1


def test_helpful_and_delete_through_the_pages(alice_client, bob_client, thread):
    post = thread.posts.get(number=1)
    bob_client.post(reverse("community:helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert bob_client.post(reverse("community:post_delete", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED  # not Bob's
    alice_client.post(reverse("community:post_delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED
    alice_client.cookies["django_language"] = "en"
    html = alice_client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "deleted by its author" in html and "期間はどれくらいでしたか" not in html


def test_the_four_eyes_reveal_through_the_pages(thread, bob, staff, staff2, staff_client):
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.PERSONAL_INFO)
    staff_client.post(reverse("community_staff:reveal_request", args=[post.pk]), {"reason": "照会"})
    reveal = RevealRequest.objects.get()
    response = staff_client.post(reverse("community_staff:reveal_decide", args=[reveal.pk]), {"decision": "approve", "reason": "自分で"})
    reveal.refresh_from_db()
    assert reveal.status == RevealRequest.Status.PENDING
    reveal_decide(request=reveal, actor=staff2, approve=True, reason="確認済み")
    response = staff_client.post(reverse("community_staff:reveal_show", args=[reveal.pk]))
    assert "alice@example.com" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = staff_client.post(reverse("community_staff:reveal_show", args=[reveal.pk]), follow=True)
    assert "alice@example.com" not in again.content.decode()


# --- anonymity -------------------------------------------------------------------------------

def test_no_board_response_carries_the_authors_identity(client, bob_client, alice_client, staff_client, facility, staff, staff2, bob):
    """Post as a known resident, then scan every board page, as every role, for who they are."""
    author = make_user(email="kaori.identity@example.com", name="香織ユニーク", postal_code="1030013", id=987_654_321)  # 日本橋人形町
    thread = thread_create(author=author, topic=Topic.NURSERIES, title="匿名の相談", body="先生方は親切でした。", facility=facility)
    post_reply(thread=thread, author=author, body="補足です。")
    second = thread_create(author=author, topic=Topic.SCHOOLS, title="別の話題", body="二つ目のスレッド")
    post = thread.posts.get(number=1)
    post_report(post=post, reporter=bob, reason=PostReport.Reason.OTHER)
    reveal = reveal_request(post=post, actor=staff, reason="確認")  # pending: nothing shown yet
    secrets = ["kaori.identity", "香織ユニーク", "987654321", author.town.name]
    author_client = make_client(author)
    pages = [
        reverse("community:board"),
        reverse("community:board") + "?topic=nurseries",
        reverse("community:thread", args=[thread.pk]),
        reverse("community:thread", args=[second.pk]),
        reverse("community:facility", args=[facility.pk]),
    ]
    directory = reverse("community:facility_list") + "?q=テスト"  # its town filter lists every town
    staff_pages = [reverse("community_staff:queue"), reverse("community_staff:reveal_list"), reverse("community_staff:reveal_decide", args=[reveal.pk])]
    for who, c in [("visitor", client), ("bob", bob_client), ("alice", alice_client), ("author", author_client), ("staff", staff_client)]:
        for url in pages + [directory] + (staff_pages if who == "staff" else []):
            response = c.get(url, follow=True)
            body = response.content.decode()
            for secret in secrets:
                if secret == author.town.name and url == directory:
                    continue
                assert secret not in body, f"{secret!r} found in {url} as {who}"
            assert not re.search(r"data-(author|user)", body)
    # the pseudonyms of the two threads do not match
    assert thread.posts.get(number=1).pseudonym != second.posts.get(number=1).pseudonym


def make_client(user: User):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


# --- queries and long threads ----------------------------------------------------------------

def _thread_with(author, replier, replies: int) -> Thread:
    thread = thread_create(author=author, topic=Topic.OTHER, title="長いスレッド", body="はじめ")
    Post.objects.bulk_create(
        [Post(thread=thread, number=n, author=replier, pseudonym="ABCDEFGH", body=f"返信{n}") for n in range(2, replies + 2)]
    )
    Thread.objects.filter(pk=thread.pk).update(last_number=replies + 1)
    from community.services import thread_refresh

    thread_refresh(thread.pk)
    return Thread.objects.get(pk=thread.pk)


@pytest.mark.parametrize("viewer", ["client", "bob_client", "staff_client"])
def test_thread_pages_use_a_constant_number_of_queries(request, viewer, alice, bob):
    c = request.getfixturevalue(viewer)
    small = _thread_with(alice, bob, 3)
    large = _thread_with(alice, bob, 1000)
    counts = []
    for thread, page in [(small, 1), (large, 1), (large, 20)]:
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("community:thread", args=[thread.pk]), {"page": page})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 10


def test_a_thread_with_1000_replies_pages_by_number(client, alice, bob):
    thread = _thread_with(alice, bob, 1000)
    html = client.get(reverse("community:thread", args=[thread.pk]), {"page": 20}).content.decode()
    assert "返信951<" in html and "返信1000<" in html
    assert "返信950<" not in html and "返信1001<" not in html
    assert client.get(reverse("community:thread", args=[thread.pk]), {"page": "abc"}).status_code == 200
    assert client.get(reverse("community:thread", args=[thread.pk]), {"page": 999}).status_code == 200  # last page


def test_the_thread_list_uses_a_constant_number_of_queries(client, alice, facility):
    for n in range(3):
        thread_create(author=alice, topic=Topic.NURSERIES, title=f"スレッド{n}", body="本文", facility=facility)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("community:board"))
    for n in range(3, 5):
        thread_create(author=alice, topic=Topic.NURSERIES, title=f"スレッド{n}", body="本文", facility=facility)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("community:board"))
    assert len(few.captured_queries) == len(more.captured_queries)


def test_a_post_link_goes_to_its_page_and_anchor(client, alice, bob):
    thread = _thread_with(alice, bob, 120)
    post = thread.posts.get(number=101)
    response = client.get(reverse("community:post", args=[post.pk]))
    assert response["Location"].endswith(f"/board/threads/{thread.pk}/?page=3#post-101")
