"""core.counts.UserCount: a per-user count compiled once, run for each user with their own id."""

import pytest

from core.counts import UserCount, user_counts
from listings.models import Listing
from tests.factories import make_listing


def _listings_of(user_id: int):
    return Listing.objects.filter(owner=user_id)


@pytest.mark.django_db
def test_each_user_gets_their_own_count_from_the_one_compiled_query(alice, bob, carol, django_assert_num_queries):
    for _ in range(3):
        make_listing(alice)
    make_listing(bob)
    count = UserCount(_listings_of)

    with django_assert_num_queries(3):
        counts = [count(alice.pk), count(bob.pk), count(carol.pk)]

    assert counts == [3, 1, 0]
    assert count(alice.pk) == _listings_of(alice.pk).count()


@pytest.mark.django_db
def test_a_query_that_does_not_name_the_user_is_refused():
    with pytest.raises(ValueError):
        UserCount(lambda user_id: Listing.objects.all())(1)


@pytest.mark.django_db
def test_several_counts_run_in_one_statement(alice, bob, django_assert_num_queries):
    make_listing(alice)
    make_listing(alice, publish=False)
    listings, drafts = UserCount(_listings_of), UserCount(lambda user_id: _listings_of(user_id).filter(status=Listing.Status.DRAFT))

    with django_assert_num_queries(1):
        assert user_counts(alice.pk, [listings, drafts]) == [2, 1]
    assert user_counts(bob.pk, [listings, drafts]) == [0, 0]
