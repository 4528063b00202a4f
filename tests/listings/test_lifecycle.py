"""Walk the whole lifecycle table: every action from every status is either allowed or refused."""

import pytest
from django.core.exceptions import ValidationError

from listings.lifecycle import TRANSITIONS, Action, owner_choices
from listings.models import Listing
from listings.services import listing_transition
from tests.factories import make_listing

S = Listing.Status

ALLOWED = {
    (S.DRAFT, Action.SUBMIT_FOR_REVIEW): S.PENDING,
    (S.REJECTED, Action.SUBMIT_FOR_REVIEW): S.PENDING,
    (S.PUBLISHED, Action.RESUBMIT): S.PENDING,
    (S.RESERVED, Action.RESUBMIT): S.PENDING,
    (S.DRAFT, Action.PUBLISH): S.PUBLISHED,
    (S.REJECTED, Action.PUBLISH): S.PUBLISHED,
    (S.PENDING, Action.APPROVE): S.PUBLISHED,
    (S.PENDING, Action.REJECT): S.REJECTED,
    (S.PUBLISHED, Action.REJECT): S.REJECTED,
    (S.PUBLISHED, Action.RESERVE): S.RESERVED,
    (S.RESERVED, Action.RELEASE): S.PUBLISHED,
    (S.PUBLISHED, Action.HAND_OVER): S.HANDED_OVER,
    (S.RESERVED, Action.HAND_OVER): S.HANDED_OVER,
    (S.DRAFT, Action.WITHDRAW): S.WITHDRAWN,
    (S.PENDING, Action.WITHDRAW): S.WITHDRAWN,
    (S.PUBLISHED, Action.WITHDRAW): S.WITHDRAWN,
    (S.RESERVED, Action.WITHDRAW): S.WITHDRAWN,
    (S.REJECTED, Action.WITHDRAW): S.WITHDRAWN,
    (S.HIDDEN, Action.WITHDRAW): S.WITHDRAWN,
    (S.PUBLISHED, Action.HIDE): S.HIDDEN,
    (S.RESERVED, Action.HIDE): S.HIDDEN,
    (S.HIDDEN, Action.UNHIDE): S.PUBLISHED,
    (S.PUBLISHED, Action.EXPIRE): S.EXPIRED,
    (S.EXPIRED, Action.RENEW): S.PUBLISHED,
    (S.PUBLISHED, Action.RENEW): S.PUBLISHED,
}
ALL_CASES = [(status, action) for status in S.values for action in Action]


def test_the_table_in_the_code_is_the_table_in_this_test():
    from_code = {(source, action): target for action, (sources, target) in TRANSITIONS.items() for source in sources}
    assert from_code == ALLOWED


def _listing_in(owner, status: str) -> Listing:
    listing = make_listing(owner, publish=False)
    # Put the row straight into the state under test; the dates a public listing needs come along.
    Listing.objects.filter(pk=listing.pk).update(
        status=status, published_at=listing.created_at, expires_at=listing.created_at
    )
    return Listing.objects.get(pk=listing.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("status,action", ALL_CASES, ids=[f"{s}-{a}" for s, a in ALL_CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(alice, status, action):
    listing = _listing_in(alice, status)
    expected = ALLOWED.get((status, action))
    if expected is None:
        with pytest.raises(ValidationError):
            listing_transition(listing=listing, action=action, actor=alice)
        listing.refresh_from_db()
        assert listing.status == status
    else:
        result = listing_transition(listing=listing, action=action, actor=alice)
        listing.refresh_from_db()
        assert result.status == listing.status == expected


@pytest.mark.django_db
def test_publishing_sets_an_expiry_after_the_configured_period(alice, settings):
    settings.LISTING_EXPIRY_DAYS = 30
    listing = make_listing(alice)
    assert (listing.expires_at - listing.published_at).days == 30


@pytest.mark.django_db
def test_new_listings_wait_for_review_when_premoderation_is_on(alice, settings):
    settings.LISTING_PREMODERATION = True
    assert make_listing(alice).status == S.PENDING


def test_owner_buttons_follow_the_table():
    assert owner_choices(S.PUBLISHED) == {"renew", "hand_over", "withdraw", "edit"}
    assert owner_choices(S.HANDED_OVER) == set()
    assert owner_choices(S.DRAFT) == {"submit", "withdraw", "edit"}
