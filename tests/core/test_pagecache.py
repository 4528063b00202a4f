"""Public pages from the page cache (core/pagecache.py): a visitor's served without the database, a
resident's with a few queries and to them alone; gone the moment what they show changes, per
language."""

import pytest
from django.test import Client
from django.urls import reverse

from community import services as board
from listings.lifecycle import Action
from listings.services import listing_photos_remove, listing_transition
from moderation import board as board_moderation
from moderation.services import listing_hide
from tests.factories import make_listing

PAGES = ["/", "/listings/", "/listings/?q=ソファー", "/api/v1/listings"]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def sofa(alice):
    return make_listing(alice, title="青いソファー", description="二人掛け", photos=1)


def _every_page_shows(client, listing) -> list[bool]:
    pages = [*PAGES, listing.get_absolute_url(), f"/api/v1/listings/{listing.pk}"]
    return [listing.title in client.get(page).content.decode() for page in pages]


@pytest.mark.django_db
def test_a_visitor_is_served_from_the_cache_without_the_database(client, sofa, django_assert_num_queries):
    for page in [*PAGES, sofa.get_absolute_url()]:
        first = client.get(page)
        with django_assert_num_queries(0):
            again = client.get(page)
        assert again.status_code == 200 and _same_but_token(first.content, again.content), page


def _same_but_token(first: bytes, again: bytes) -> bool:
    import re

    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    return token.sub(b"", first) == token.sub(b"", again)


@pytest.mark.django_db
@pytest.mark.parametrize("leave", ["hidden by staff", "withdrawn", "expired"])
def test_a_listing_leaving_public_view_is_gone_from_every_cached_page_at_once(client, sofa, staff, leave):
    assert all(_every_page_shows(client, sofa))  # now cached

    if leave == "hidden by staff":
        listing_hide(listing=sofa, actor=staff, reason="住所が写っている")
    elif leave == "withdrawn":
        listing_transition(listing=sofa, action=Action.WITHDRAW, actor=sofa.owner)
    else:
        listing_transition(listing=sofa, action=Action.EXPIRE)

    assert not any(_every_page_shows(client, sofa))
    assert client.get(sofa.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_removed_photo_leaves_the_cached_listing_page(client, sofa):
    photo_url = sofa.photos.get().image.url
    assert photo_url in client.get(sofa.get_absolute_url()).content.decode()

    listing_photos_remove(listing=sofa)

    assert photo_url not in client.get(sofa.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_board_thread_hidden_by_staff_leaves_the_cached_board(client, alice, staff):
    thread = board.thread_create(author=alice, topic="nurseries", title="園庭の広さについて", body="見学の感想です。")
    assert "園庭の広さについて" in client.get(reverse("community:board")).content.decode()

    board_moderation.post_hide(post=thread.posts.get(number=1), actor=staff, reason="個人情報")

    assert "園庭の広さについて" not in client.get(reverse("community:board")).content.decode()


@pytest.mark.django_db
def test_each_language_has_its_own_cached_page(client, sofa):
    japanese = client.get("/listings/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = client.get("/listings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "品物をさがす" in japanese or "さがす" in japanese
    assert "Browse items" in english and "Browse items" not in japanese


@pytest.mark.django_db
def test_a_residents_page_is_theirs_alone(client, alice_client, bob_client, sofa):
    page = sofa.get_absolute_url()  # alice posted it
    visitor_page = client.get(page).content.decode()
    bob_client.get(page)
    bob_page = bob_client.get(page).content.decode()  # from the cache
    alice_page = alice_client.get(page).content.decode()

    assert "ログアウト" in bob_page and "譲ってほしい" in bob_page and "申し込み一覧" not in bob_page
    assert "ログアウト" in alice_page and "申し込み一覧" in alice_page and "譲ってほしい" not in alice_page
    assert "ログアウト" not in visitor_page
    assert "ログアウト" not in client.get(page).content.decode()
    assert "ログアウト" not in Client().get(page).content.decode()


def _rendered_queries(client, page: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_residents_page_is_served_from_the_cache_with_a_few_queries(bob_client, sofa):
    for page in [*PAGES, sofa.get_absolute_url()]:
        first = _rendered_queries(bob_client, page)
        again = _rendered_queries(bob_client, page)
        # the session (from Redis where there is one), the account, and the header's two badges
        # in one statement (registered with resident_state)
        assert again <= 3 < first, page


@pytest.mark.django_db
def test_a_new_message_shows_in_the_cached_pages_badge(bob_client, alice, bob, sofa):
    from messaging.services.conversations import conversation_start, message_send

    conversation = conversation_start(listing=sofa, requester=bob, body="ほしいです")
    assert 'data-unread-badge aria-label="未読メッセージ" hidden' in bob_client.get("/").content.decode()

    message_send(conversation=conversation, sender=alice, body="明日どうですか")

    assert 'data-unread-badge aria-label="未読メッセージ">1<' in bob_client.get("/").content.decode()


@pytest.mark.django_db
def test_thanks_show_on_the_posters_cached_listing_page(alice_client, alice, bob, sofa):
    from messaging.services.conversations import conversation_start
    from messaging.services.handover import reservation_create, reservation_hand_over, thanks_send

    reservation = reservation_create(conversation=conversation_start(listing=sofa, requester=bob, body="ほしいです"), actor=alice)
    reservation_hand_over(listing=sofa, actor=alice)
    assert "大切に使います" not in alice_client.get(sofa.get_absolute_url()).content.decode()

    reservation.refresh_from_db()
    thanks_send(reservation=reservation, sender=bob, text="大切に使います")

    assert "大切に使います" in alice_client.get(sofa.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_suspension_shows_on_the_residents_cached_pages_at_once(bob_client, bob, staff, sofa):
    from moderation.services import account_suspend

    assert "利用停止" not in bob_client.get("/").content.decode()

    account_suspend(user=bob, actor=staff, reason="迷惑行為")

    assert "利用停止" in bob_client.get("/").content.decode()


@pytest.mark.django_db
def test_a_form_the_resident_sends_renders_their_pages_afresh(bob_client, sofa):
    bob_client.get("/")
    cached = _rendered_queries(bob_client, "/")

    bob_client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    assert _rendered_queries(bob_client, "/") > cached


@pytest.mark.django_db
def test_each_visitor_gets_their_own_csrf_token_and_can_switch_language(sofa):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    page = second.get("/")  # from the cache
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    switched = second.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})

    assert switched.status_code == 302
    assert "Browse" in second.get("/").content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_pending_message_sees_it(client, sofa, alice):
    client.get("/")  # cached without any message
    client.force_login(alice)
    client.post(reverse("account_logout"))  # "You have signed out." waits for the next page

    page = client.get("/", follow=True).content.decode()

    assert "ログアウトしました" in page
