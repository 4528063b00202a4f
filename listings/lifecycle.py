"""The listing lifecycle: every allowed status change, in one table.

draft → pending (when moderation applies) → published → reserved → handed over;
or withdrawn, expired (renewable), rejected (with a reason; the poster may edit and resubmit),
hidden by staff (a report, a suspended account) and shown again.

Hidden, or an edit waiting for review, a listing is out of public view for a while: it remembers
the public status it left (`Listing.return_status`), and showing or approving it sends it back
there, so a listing still kept for someone comes back reserved.
`listings.services.listing_transition` is the only code that changes a listing's status.
"""

from dataclasses import dataclass
from enum import StrEnum

from listings.models import PUBLIC_STATUSES, ListingStatus

DRAFT = ListingStatus.DRAFT
PENDING = ListingStatus.PENDING
PUBLISHED = ListingStatus.PUBLISHED
RESERVED = ListingStatus.RESERVED
HANDED_OVER = ListingStatus.HANDED_OVER
WITHDRAWN = ListingStatus.WITHDRAWN
EXPIRED = ListingStatus.EXPIRED
REJECTED = ListingStatus.REJECTED
HIDDEN = ListingStatus.HIDDEN


class Action(StrEnum):
    SUBMIT_FOR_REVIEW = "submit_for_review"  # owner: draft or rejected → pending
    RESUBMIT = "resubmit"  # owner's edit that a review rule catches: published or reserved → pending
    PUBLISH = "publish"  # owner, no moderation: draft → published
    APPROVE = "approve"  # staff: pending → back where it was (published after a first review)
    REJECT = "reject"  # staff: pending or published → rejected
    RESERVE = "reserve"  # owner: published → reserved
    RELEASE = "release"  # owner: reserved → published
    HAND_OVER = "hand_over"  # owner: published or reserved → handed over
    WITHDRAW = "withdraw"  # owner: any open state → withdrawn
    EXPIRE = "expire"  # system: published → expired
    RENEW = "renew"  # owner: expired or published → published with a new expiry
    HIDE = "hide"  # staff: published or reserved → hidden (a report, a suspended account)
    UNHIDE = "unhide"  # staff: hidden → back where it was


# A target in the table: the public status the listing left when it was hidden or its edit went
# to review (published when it remembers none, as after a first review).
RETURN = "return"

# Out of public view for a while, remembering where to return to.
AWAY_STATUSES = frozenset({HIDDEN, PENDING})

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[str], str]] = {
    Action.SUBMIT_FOR_REVIEW: (frozenset({DRAFT, REJECTED}), PENDING),
    Action.RESUBMIT: (frozenset({PUBLISHED, RESERVED}), PENDING),
    Action.PUBLISH: (frozenset({DRAFT, REJECTED}), PUBLISHED),
    Action.APPROVE: (frozenset({PENDING}), RETURN),
    Action.REJECT: (frozenset({PENDING, PUBLISHED}), REJECTED),
    Action.RESERVE: (frozenset({PUBLISHED}), RESERVED),
    Action.RELEASE: (frozenset({RESERVED}), PUBLISHED),
    Action.HAND_OVER: (frozenset({PUBLISHED, RESERVED}), HANDED_OVER),
    Action.WITHDRAW: (frozenset({DRAFT, PENDING, PUBLISHED, RESERVED, REJECTED, HIDDEN}), WITHDRAWN),
    Action.EXPIRE: (frozenset({PUBLISHED}), EXPIRED),
    Action.RENEW: (frozenset({EXPIRED, PUBLISHED}), PUBLISHED),
    Action.HIDE: (frozenset({PUBLISHED, RESERVED}), HIDDEN),
    Action.UNHIDE: (frozenset({HIDDEN}), RETURN),
}

# While away, the reservation is kept, but it can still end (a block between the two people):
# the action then changes only the remembered status, and the listing comes back unreserved.
# action → (remembered status it may start from, remembered status it leads to)
AWAY_TRANSITIONS: dict[Action, tuple[str, str]] = {
    Action.RELEASE: (RESERVED, PUBLISHED),
}

# Actions the poster takes on their own listing; the rest belong to staff or the system.
OWNER_ACTIONS = frozenset(
    {Action.SUBMIT_FOR_REVIEW, Action.RESUBMIT, Action.PUBLISH, Action.RESERVE, Action.RELEASE, Action.HAND_OVER, Action.WITHDRAW, Action.RENEW}
)
STAFF_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.HIDE, Action.UNHIDE})
SYSTEM_ACTIONS = frozenset({Action.EXPIRE})

# States whose content the owner may still edit.
EDITABLE_STATUSES = frozenset({DRAFT, PENDING, PUBLISHED, RESERVED, REJECTED, EXPIRED})


@dataclass(frozen=True)
class State:
    """A listing's status and, while it is away, the public status it returns to ("" otherwise)."""

    status: str
    return_status: str = ""


def can_transition(status: str, action: Action) -> bool:
    """Is `action` allowed from `status` by the main table?"""
    sources, _target = TRANSITIONS[action]
    return status in sources


def next_state(state: State, action: Action) -> State | None:
    """The state `action` leads to from `state`, or None when the lifecycle refuses it."""
    sources, target = TRANSITIONS[action]
    if state.status in sources:
        if target == RETURN:
            return State(state.return_status or PUBLISHED)
        if target in AWAY_STATUSES:
            return State(target, state.status if state.status in PUBLIC_STATUSES else "")
        return State(target)
    if state.status in AWAY_STATUSES and action in AWAY_TRANSITIONS:
        remembered, becomes = AWAY_TRANSITIONS[action]
        if state.return_status == remembered:
            return State(state.status, becomes)
    return None


def owner_choices(status: str) -> set[str]:
    """What the poster can do from `status`, as the names the my-listings page uses."""
    choices = {name for name, action in _OWNER_BUTTONS.items() if can_transition(status, action)}
    if status in EDITABLE_STATUSES:
        choices.add("edit")
    return choices


_OWNER_BUTTONS = {
    "submit": Action.PUBLISH,  # same sources as SUBMIT_FOR_REVIEW
    "renew": Action.RENEW,
    "hand_over": Action.HAND_OVER,
    "withdraw": Action.WITHDRAW,
}
