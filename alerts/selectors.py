"""Reads about saved searches: how many new items each one found since the resident last looked."""

from django.core import signing
from django.db.models import Count, F, QuerySet

from accounts.models import User
from alerts.models import Alert, SavedSearch
from core.counts import UserCount
from listings.models import PUBLIC_STATUSES, NotInterested


def _new_alerts(user: User | int) -> QuerySet[Alert]:
    """Alerts of the user's saved searches that are news to them: the listing is still public, was
    first published after the search was last opened (a renewal is not news), is not their own and
    not one they marked "not interested".

    Alerts are recorded once per listing by the same matching that sends the emails, so the count
    agrees with them, and reading it is one indexed query whatever the number of searches.
    """
    return (
        Alert.objects.filter(
            saved_search__user=user,
            listing__status__in=PUBLIC_STATUSES,
            listing__first_published_at__gt=F("saved_search__last_seen_at"),
        )
        .exclude(listing__owner=user)
        .exclude(listing__in=NotInterested.objects.filter(user=user).values("listing"))
    )


def new_counts(user: User) -> dict[int, int]:
    """{saved search id: number of new items} for every saved search of the user that has some."""
    rows = _new_alerts(user).order_by().values_list("saved_search").annotate(n=Count("id"))
    return dict(rows)


def _new_badge_listings(user: User | int) -> QuerySet[Alert]:
    return (
        _new_alerts(user)
        .filter(saved_search__is_active=True, saved_search__frequency=SavedSearch.Frequency.BADGE)
        .order_by()
        .values("listing")
        .distinct()
    )


new_badge_count = UserCount(_new_badge_listings)  # on every signed-in page: compiled once


def new_badge_total(user: User) -> int:
    """New items of the user's active badge-only searches (an item two of them found counts once):
    the site header is the only notice these searches give."""
    return new_badge_count(user.pk)


UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def saved_search_for_token(token: str) -> SavedSearch | None:
    """The saved search a signed unsubscribe link names; None for a bad or unknown token."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return SavedSearch.objects.select_related("category", "town").filter(pk=pk).first()


DIGEST_UNSUBSCRIBE_SALT = "alerts.unsubscribe-digest"


def digest_owner_for_token(token: str) -> User | None:
    """The resident a signed "stop my digest" link names; None for a bad token or a resident who
    is gone. Links sent before 0.3 also name a channel (a digest went per channel then): they stop
    the resident's digest all the same."""
    try:
        signed = signing.loads(token, salt=DIGEST_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if isinstance(signed, list) and len(signed) == 2 and signed[1] in ("email", "line"):
        signed = signed[0]
    if not isinstance(signed, int) or isinstance(signed, bool):
        return None
    user_pk = signed
    return User.objects.filter(pk=user_pk).first()


def digest_searches(*, user: User) -> QuerySet[SavedSearch]:
    """The saved searches whose alerts go into the resident's digest (badge-only searches send
    nothing; instant ones put what waits past the hour into the digest)."""
    return (
        SavedSearch.objects.filter(user=user, is_active=True)
        .exclude(frequency=SavedSearch.Frequency.BADGE)
        .select_related("category", "town")
    )
