"""What a reader and a writer of the board see first: the newest activity on top, the starter
marked, and the posting rules on every form they write in."""

import re

from django.urls import reverse

from community.models import Topic
from community.services import post_reply, thread_create


def test_the_thread_with_the_newest_reply_comes_first(client, alice, bob):
    older = thread_create(author=alice, topic=Topic.SCHOOLS, title="古いスレッド", body="最初")
    newer = thread_create(author=alice, topic=Topic.SCHOOLS, title="新しいスレッド", body="次")
    html = client.get(reverse("community:board")).content.decode()
    assert html.index("新しいスレッド") < html.index("古いスレッド")
    post_reply(thread=older, author=bob, body="返信で上がる")
    html = client.get(reverse("community:board")).content.decode()
    assert html.index("古いスレッド") < html.index("新しいスレッド")
    assert newer.pk  # still listed, just below


def test_the_starter_is_marked_on_their_posts_only(client, thread, alice):
    post_reply(thread=thread, author=alice, body="スレ主の追記です")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    posts = re.findall(r"<article\b.*?</article>", html, re.DOTALL)
    marked = ["Thread starter" in post for post in posts]
    assert marked == [True, False, True]  # Alice's opening post, the other reply, Alice's addition


def test_the_posting_rules_are_on_the_new_thread_and_reply_forms(bob_client, thread):
    bob_client.cookies["django_language"] = "en"
    for url in [reverse("community:thread_create"), reverse("community:thread", args=[thread.pk])]:
        html = bob_client.get(url).content.decode()
        assert "Posting rules" in html and "No names of teachers" in html, url

