"""Walk the whole lifecycle table: every action from every status is either allowed or refused."""

import pytest
from django.core.exceptions import ValidationError

from listings.lifecycle import AWAY_TRANSITIONS, RETURN, TRANSITIONS, Action, owner_choices
from listings.models import Listing
from listings.services import listing_transition
from tests.factories import make_listing

Status = Listing.Status
DRAFT, PENDING, PUBLISHED, RESERVED = Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.RESERVED
HANDED_OVER, WITHDRAWN, EXPIRED, REJECTED, HIDDEN = Status.HANDED_OVER, Status.WITHDRAWN, Status.EXPIRED, Status.REJECTED, Status.HIDDEN

ALLOWED = {
    (DRAFT, Action.SUBMIT_FOR_REVIEW): PENDING,
    (REJECTED, Action.SUBMIT_FOR_REVIEW): PENDING,
    (PUBLISHED, Action.RESUBMIT): PENDING,
    (RESERVED, Action.RESUBMIT): PENDING,
    (DRAFT, Action.PUBLISH): PUBLISHED,
    (REJECTED, Action.PUBLISH): PUBLISHED,
    (PENDING, Action.APPROVE): RETURN,
    (PENDING, Action.REJECT): REJECTED,
    (PUBLISHED, Action.REJECT): REJECTED,
    (PUBLISHED, Action.RESERVE): RESERVED,
    (RESERVED, Action.RELEASE): PUBLISHED,
    (PUBLISHED, Action.HAND_OVER): HANDED_OVER,
    (RESERVED, Action.HAND_OVER): HANDED_OVER,
    (DRAFT, Action.WITHDRAW): WITHDRAWN,
    (PENDING, Action.WITHDRAW): WITHDRAWN,
    (PUBLISHED, Action.WITHDRAW): WITHDRAWN,
    (RESERVED, Action.WITHDRAW): WITHDRAWN,
    (REJECTED, Action.WITHDRAW): WITHDRAWN,
    (HIDDEN, Action.WITHDRAW): WITHDRAWN,
    (PUBLISHED, Action.HIDE): HIDDEN,
    (RESERVED, Action.HIDE): HIDDEN,
    (HIDDEN, Action.UNHIDE): RETURN,
    (PUBLISHED, Action.EXPIRE): EXPIRED,
    (EXPIRED, Action.RENEW): PUBLISHED,
    (PUBLISHED, Action.RENEW): PUBLISHED,
}
# Hidden or in review, a listing remembers the public status it left ("" when it was never public).
RETURN_STATUSES = {PENDING: ("", PUBLISHED, RESERVED), HIDDEN: (PUBLISHED, RESERVED)}
ALL_CASES = [(status, returns, action) for status in Status.values for returns in RETURN_STATUSES.get(status, ("",)) for action in Action]


def expected_state(status: str, returns: str, action: Action) -> tuple[str, str] | None:
    """What this test expects: (status, status to return to) after the action, or None if refused."""
    target = ALLOWED.get((status, action))
    if target == RETURN:
        return (returns or PUBLISHED, "")
    if target in (HIDDEN, PENDING):
        return (target, status if status in (PUBLISHED, RESERVED) else "")
    if target is not None:
        return (target, "")
    if action == Action.RELEASE and returns == RESERVED:
        return (status, PUBLISHED)  # the reservation ended while away: it will come back unreserved
    return None


def test_the_table_in_the_code_is_the_table_in_this_test():
    from_code = {(source, action): target for action, (sources, target) in TRANSITIONS.items() for source in sources}
    assert from_code == ALLOWED
    assert AWAY_TRANSITIONS == {Action.RELEASE: (RESERVED, PUBLISHED)}


def _listing_in(owner, status: str, returns: str = "") -> Listing:
    listing = make_listing(owner, publish=False)
    # Put the row straight into the state under test; the dates a public listing needs come along.
    Listing.objects.filter(pk=listing.pk).update(
        status=status, return_status=returns, published_at=listing.created_at, expires_at=listing.created_at
    )
    return Listing.objects.get(pk=listing.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("status,returns,action", ALL_CASES, ids=[f"{s}-{r or 'none'}-{a}" for s, r, a in ALL_CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(alice, status, returns, action):
    listing = _listing_in(alice, status, returns)
    expected = expected_state(status, returns, action)
    if expected is None:
        with pytest.raises(ValidationError):
            listing_transition(listing=listing, action=action, actor=alice)
        listing.refresh_from_db()
        assert (listing.status, listing.return_status) == (status, returns)
    else:
        result = listing_transition(listing=listing, action=action, actor=alice)
        listing.refresh_from_db()
        assert (result.status, result.return_status) == (listing.status, listing.return_status) == expected


@pytest.mark.django_db
def test_a_listing_that_comes_back_from_hidden_or_review_returns_to_where_it_was(alice):
    for action_away, action_back, status_away in ((Action.HIDE, Action.UNHIDE, HIDDEN), (Action.RESUBMIT, Action.APPROVE, PENDING)):
        for before in (PUBLISHED, RESERVED):
            listing = _listing_in(alice, before)
            away = listing_transition(listing=listing, action=action_away, actor=alice)
            assert (away.status, away.return_status) == (status_away, before)
            back = listing_transition(listing=listing, action=action_back, actor=alice)
            assert (back.status, back.return_status) == (before, "")


@pytest.mark.django_db
def test_publishing_sets_an_expiry_after_the_configured_period(alice, settings):
    settings.LISTING_EXPIRY_DAYS = 30
    listing = make_listing(alice)
    assert (listing.expires_at - listing.published_at).days == 30


@pytest.mark.django_db
def test_new_listings_wait_for_review_when_premoderation_is_on(alice, settings):
    settings.LISTING_PREMODERATION = True
    assert make_listing(alice).status == PENDING


def test_owner_buttons_follow_the_table():
    assert owner_choices(PUBLISHED) == {"renew", "hand_over", "withdraw", "edit"}
    assert owner_choices(HANDED_OVER) == set()
    assert owner_choices(DRAFT) == {"submit", "withdraw", "edit"}
