"""Listings' answers to account events (connected in ListingsConfig.ready)."""

from django.conf import settings

from accounts.models import User
from listings import services
from listings.models import Listing, NotInterested


def withdraw_listings_of_deleted_account(sender, *, user: User, **kwargs) -> None:
    services.listings_withdraw_all(owner=user)


def _absolute(url: str) -> str:
    """Media URLs are relative on local storage; the export is read outside the site."""
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def export_listings(sender, *, user: User, **kwargs) -> tuple[str, list[dict]]:
    listings = Listing.objects.filter(owner=user).select_related("category", "town").prefetch_related("photos")
    return (
        "listings",
        [
            {
                "id": listing.pk,
                "kind": listing.kind,
                "title": listing.title,
                "description": listing.description,
                "category": listing.category.slug,
                "condition": listing.condition,
                "price": listing.price,
                "town": listing.town.name,
                "status": listing.status,
                "created_at": listing.created_at.isoformat(),
                "published_at": listing.published_at.isoformat() if listing.published_at else None,
                "expires_at": listing.expires_at.isoformat() if listing.expires_at else None,
                "photos": [_absolute(photo.image.url) for photo in listing.photos.all()],
            }
            for listing in listings.order_by("id")
        ],
    )


def export_not_interested(sender, *, user: User, **kwargs) -> tuple[str, list[dict]]:
    rows = NotInterested.objects.filter(user=user).order_by("id")
    return "not_interested", [{"listing": row.listing_id, "created_at": row.created_at.isoformat()} for row in rows]
