"""Reads and access rules for listings, shared by views (and later the API and consumers)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from listings.models import PUBLIC_STATUSES, Category, Listing, NotInterested, Photo


def _with_cards(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """What a listing card needs, in a constant number of queries."""
    return qs.select_related("category", "town").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.filter(position=0), to_attr="covers")
    )


def listings_public() -> QuerySet[Listing]:
    """Listings every visitor may see: published and reserved."""
    return _with_cards(Listing.objects.filter(status__in=PUBLIC_STATUSES))


def listings_public_for(user: User) -> QuerySet[Listing]:
    """Public listings, minus those this resident said they are not interested in."""
    qs = listings_public()
    if user.is_authenticated:
        qs = qs.exclude(pk__in=NotInterested.objects.filter(user_id=user.pk).values("listing"))
    return qs


def listings_latest(limit: int = 12) -> list[Listing]:
    return list(listings_public().filter(status=Listing.Status.PUBLISHED).order_by("-published_at", "-id")[:limit])


def listings_of_owner(owner: User) -> QuerySet[Listing]:
    return _with_cards(Listing.objects.filter(owner=owner)).order_by("-created_at", "-id")


def categories_with_counts() -> list[Category]:
    """Active categories with how many published listings each holds (one query)."""
    return list(
        Category.objects.filter(is_active=True).annotate(
            published_count=Count("listings", filter=Q(listings__status=Listing.Status.PUBLISHED))
        )
    )


def listing_for_viewer(user: User, pk: int) -> Listing:
    """A listing this user may look at, with photos and poster; 404 for anything else."""
    listing = (
        Listing.objects.select_related("category", "town", "owner")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if listing is None:
        raise Http404
    if listing.status in PUBLIC_STATUSES:
        return listing  # public
    if user.is_authenticated and (listing.owner_id == user.pk or user.is_staff):
        return listing  # the poster and staff see every state
    raise Http404  # drafts, closed and rejected listings do not exist for others


def listing_for_owner(user: User, pk: int) -> Listing:
    """A listing this user may change: 404 if they may not know it, 403 if it is someone else's."""
    listing = listing_for_viewer(user, pk)
    if not user.is_authenticated or listing.owner_id != user.pk:
        raise PermissionDenied  # visible, but not theirs
    return listing
