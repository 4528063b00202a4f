"""The listing lifecycle: every allowed status change, in one table.

draft → pending (when moderation applies) → published → reserved → handed over;
or withdrawn, expired (renewable), rejected (with a reason; the poster may edit and resubmit),
hidden by staff (a report, a suspended account) and shown again.
`listings.services.listing_transition` is the only code that changes a listing's status.
"""

from enum import StrEnum

from listings.models import Listing

S = Listing.Status


class Action(StrEnum):
    SUBMIT_FOR_REVIEW = "submit_for_review"  # owner: draft or rejected → pending
    RESUBMIT = "resubmit"  # owner's edit that a review rule catches: published or reserved → pending
    PUBLISH = "publish"  # owner, no moderation: draft → published
    APPROVE = "approve"  # staff: pending → published
    REJECT = "reject"  # staff: pending or published → rejected
    RESERVE = "reserve"  # owner: published → reserved
    RELEASE = "release"  # owner: reserved → published
    HAND_OVER = "hand_over"  # owner: published or reserved → handed over
    WITHDRAW = "withdraw"  # owner: any open state → withdrawn
    EXPIRE = "expire"  # system: published → expired
    RENEW = "renew"  # owner: expired or published → published with a new expiry
    HIDE = "hide"  # staff: published or reserved → hidden (a report, a suspended account)
    UNHIDE = "unhide"  # staff: hidden → published (messaging puts a still-reserved listing back to reserved)


# action → (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[str], str]] = {
    Action.SUBMIT_FOR_REVIEW: (frozenset({S.DRAFT, S.REJECTED}), S.PENDING),
    Action.RESUBMIT: (frozenset({S.PUBLISHED, S.RESERVED}), S.PENDING),
    Action.PUBLISH: (frozenset({S.DRAFT, S.REJECTED}), S.PUBLISHED),
    Action.APPROVE: (frozenset({S.PENDING}), S.PUBLISHED),
    Action.REJECT: (frozenset({S.PENDING, S.PUBLISHED}), S.REJECTED),
    Action.RESERVE: (frozenset({S.PUBLISHED}), S.RESERVED),
    Action.RELEASE: (frozenset({S.RESERVED}), S.PUBLISHED),
    Action.HAND_OVER: (frozenset({S.PUBLISHED, S.RESERVED}), S.HANDED_OVER),
    Action.WITHDRAW: (frozenset({S.DRAFT, S.PENDING, S.PUBLISHED, S.RESERVED, S.REJECTED, S.HIDDEN}), S.WITHDRAWN),
    Action.EXPIRE: (frozenset({S.PUBLISHED}), S.EXPIRED),
    Action.RENEW: (frozenset({S.EXPIRED, S.PUBLISHED}), S.PUBLISHED),
    Action.HIDE: (frozenset({S.PUBLISHED, S.RESERVED}), S.HIDDEN),
    Action.UNHIDE: (frozenset({S.HIDDEN}), S.PUBLISHED),
}

# Actions the poster takes on their own listing; the rest belong to staff or the system.
OWNER_ACTIONS = frozenset(
    {Action.SUBMIT_FOR_REVIEW, Action.RESUBMIT, Action.PUBLISH, Action.RESERVE, Action.RELEASE, Action.HAND_OVER, Action.WITHDRAW, Action.RENEW}
)
STAFF_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.HIDE, Action.UNHIDE})
SYSTEM_ACTIONS = frozenset({Action.EXPIRE})

# States whose content the owner may still edit.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.PENDING, S.PUBLISHED, S.RESERVED, S.REJECTED, S.EXPIRED})


def can_transition(status: str, action: Action) -> bool:
    """Is `action` allowed from `status`?"""
    sources, _target = TRANSITIONS[action]
    return status in sources


def target_status(action: Action) -> str:
    return TRANSITIONS[action][1]


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
