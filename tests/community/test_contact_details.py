"""The contact-detail guard on the board: the form shows which part looks like a contact detail and
why; sent anyway, the post is held for staff like a post with an NG word."""

from django.urls import reverse

from community.models import Post, Thread, Topic
from community.services import post_edit
from moderation.board import post_approve


def test_a_reply_with_an_address_is_shown_back_with_which_part_and_why(bob_client, thread):
    bob_client.cookies["django_language"] = "ja"
    response = bob_client.post(reverse("community:reply", args=[thread.pk]), {"body": "うちは月島2丁目5番地です"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "「2丁目5番地」は番地まで含む住所のようです。" in page and "これは連絡先ではありません" in page
    assert "うちは月島2丁目5番地です" in page  # what was typed is kept
    assert thread.posts.count() == 2


def test_a_reply_sent_anyway_is_held_for_staff_and_hidden_until_published(bob_client, client, thread, staff):
    bob_client.cookies["django_language"] = "en"
    response = bob_client.post(
        reverse("community:reply", args=[thread.pk]), {"body": "うちは月島2丁目5番地です", "send_anyway": "on"}, follow=True
    )
    post = thread.posts.get(number=3)
    assert post.status == Post.Status.HELD
    assert post.held_words == "looks like a street address: 2丁目5番地"
    assert "part of it looks like a contact detail" in response.content.decode()
    assert "月島2丁目5番地" not in client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    post_approve(post=post, actor=staff)
    assert "月島2丁目5番地" in client.get(reverse("community:thread", args=[thread.pk])).content.decode()


def test_a_new_thread_with_a_line_id_in_the_title_asks_first_then_is_held(bob_client, client):
    data = {"topic": Topic.OTHER, "title": "LINE ID: tsuki_mama まで", "body": "情報交換しましょう"}
    response = bob_client.post(reverse("community:thread_create"), data)
    assert response.status_code == 200 and not Thread.objects.exists()
    assert "tsuki_mama" in response.context["form"].errors["title"][0]
    bob_client.post(reverse("community:thread_create"), {**data, "send_anyway": "on"})
    thread = Thread.objects.get()
    assert thread.posts.get().status == Post.Status.HELD
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 404


def test_an_edit_that_adds_a_phone_number_holds_the_post(alice, thread):
    post = thread.posts.get(number=1)
    post_edit(post=post, author=alice, body="詳しくは 090-1234-5678 へ")
    post.refresh_from_db()
    assert post.status == Post.Status.HELD and "090-1234-5678" in post.held_words


def test_ordinary_board_text_with_times_and_ages_is_published(bob_client, thread):
    bob_client.post(reverse("community:reply", args=[thread.pk]), {"body": "うちは3-4歳クラスで、9:00〜15:00でした。2024年4月入園です。"})
    assert thread.posts.get(number=3).status == Post.Status.PUBLISHED
