"""People pages are not a directory: a person's page has a random address, opens only for
signed-in verified residents with a reason to see it (a public listing, a conversation), and
staff appear everywhere as the office, never by their own names."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import STAFF_GROUP, User
from accounts.services import user_delete
from listings.lifecycle import Action
from listings.services import listing_transition
from messaging.services.conversations import conversation_start
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.django_db


def _page(user: User) -> str:
    return reverse("messaging:profile", args=[user.public_id])


@pytest.fixture
def dave(db):
    """A resident with no listing and no conversation: nobody has a reason to see his page."""
    return make_user(email="dave@example.com", name="でいぶ")


@pytest.fixture
def yamada(db):
    """A staff member with her own name, who also posts a listing and asks for one."""
    return make_user(email="yamada@example.com", name="山田花子", is_staff=True)


def test_every_account_has_its_own_random_public_id(alice, bob, carol):
    ids = [alice.public_id, bob.public_id, carol.public_id]
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", public_id) for public_id in ids)
    assert _page(alice) == f"/messages/people/{alice.public_id}/" != f"/messages/people/{alice.pk}/"


def test_a_visitor_is_sent_to_sign_in_and_learns_no_name(client, alice):
    make_listing(alice)

    response = client.get(_page(alice))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "ありす" not in client.get(_page(alice), follow=True).content.decode()


def test_counting_through_ids_finds_nobody(client, bob_client, alice, carol, staff, dave):
    make_listing(alice)
    names = ["ありす", "きゃろる", "環境推進課", "でいぶ"]
    for pk in range(1, 46):
        anonymous = client.get(f"/messages/people/{pk}/")
        signed_in = bob_client.get(f"/messages/people/{pk}/")
        assert anonymous.status_code == 302  # to the login page, whatever the id
        assert signed_in.status_code == 404
        assert not any(name in signed_in.content.decode() for name in names)


def test_a_resident_sees_the_page_of_someone_with_a_public_listing(bob_client, alice):
    make_listing(alice, title="本棚")

    response = bob_client.get(_page(alice))

    assert response.status_code == 200
    page = response.content.decode()
    assert "ありす" in page and "本棚" in page and alice.email not in page


def test_the_listing_page_links_the_poster_by_public_id(bob_client, alice):
    listing = make_listing(alice)

    page = bob_client.get(listing.get_absolute_url()).content.decode()

    assert f'href="{_page(alice)}"' in page
    assert f"/messages/people/{alice.pk}/" not in page


def test_a_stranger_without_listing_or_conversation_has_no_page(bob_client, dave):
    assert bob_client.get(_page(dave)).status_code == 404


def test_one_sees_ones_own_page(client, dave):
    client.force_login(dave)
    assert client.get(_page(dave)).status_code == 200


def test_a_conversation_opens_both_pages_to_each_other_only(alice, bob, alice_client, bob_client, dave):
    listing = make_listing(alice)
    conversation_start(listing=listing, requester=bob, body="ください")
    listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)  # only the conversation is left
    client_dave = Client()
    client_dave.force_login(dave)

    assert alice_client.get(_page(bob)).status_code == 200
    assert bob_client.get(_page(alice)).status_code == 200
    assert client_dave.get(_page(bob)).status_code == 404
    assert client_dave.get(_page(alice)).status_code == 404


def test_an_unconfirmed_sign_up_has_no_page(bob_client, carol):
    assert bob_client.get(_page(carol)).status_code == 404


def test_a_deleted_account_has_no_page(alice, bob, bob_client):
    listing = make_listing(alice)
    conversation_start(listing=listing, requester=bob, body="ください")
    user_delete(user=alice)

    assert bob_client.get(_page(User.objects.get(pk=alice.pk))).status_code == 404


def test_accounts_that_are_not_verified_residents_are_told_why(carol_client, alice):
    make_listing(alice)
    assert carol_client.get(_page(alice)).status_code == 403


def test_a_staff_member_has_no_page_even_with_a_public_listing(bob_client, yamada):
    make_listing(yamada)
    assert bob_client.get(_page(yamada)).status_code == 404


def test_a_staff_members_listing_shows_the_office_and_no_link(bob_client, client, yamada):
    listing = make_listing(yamada)

    for page in [bob_client.get(listing.get_absolute_url()).content.decode(), client.get(listing.get_absolute_url()).content.decode()]:
        assert "環境推進課" in page
        assert "山田" not in page
        assert _page(yamada) not in page


def test_a_conversation_with_a_staff_member_shows_the_office(alice, yamada, alice_client):
    listing = make_listing(alice)
    conversation = conversation_start(listing=listing, requester=yamada, body="ください")

    for url in [conversation.get_absolute_url(), reverse("messaging:inbox"), reverse("messaging:requests", args=[listing.pk])]:
        page = alice_client.get(url).content.decode()
        assert "環境推進課" in page, url
        assert "山田" not in page, url
    assert _page(yamada) not in alice_client.get(conversation.get_absolute_url()).content.decode()


def test_granting_the_staff_role_hides_the_name_at_once(bob_client, dave):
    listing = make_listing(dave)
    assert "でいぶ" in bob_client.get(listing.get_absolute_url()).content.decode()

    dave.groups.add(Group.objects.get(name=STAFF_GROUP))

    page = bob_client.get(listing.get_absolute_url()).content.decode()
    assert "でいぶ" not in page and "環境推進課" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_every_existing_account_its_own_public_id(alice, bob, carol):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0007_user_terms_acceptance")])  # before public ids existed
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    ids = list(User.objects.filter(pk__in=[alice.pk, bob.pk, carol.pk]).values_list("public_id", flat=True))
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[A-Za-z0-9_-]{16}", public_id) for public_id in ids)
    assert alice.public_id not in ids  # new ones, not kept from before


def test_the_postcard_desk_is_the_office_with_no_page(bob_client, staff):
    """Listings staff register from postcards belong to the office's desk, not to a person."""
    from moderation.assisted import desk_account

    desk = desk_account()
    listing = make_listing(desk)

    page = bob_client.get(listing.get_absolute_url()).content.decode()
    assert "環境推進課（はがき受付）" in page
    assert _page(desk) not in page
    assert bob_client.get(_page(desk)).status_code == 404
