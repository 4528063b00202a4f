"""Listings' answers to account events (connected in ListingsConfig.ready)."""

from accounts.models import User
from listings import services
from listings.models import Listing


def withdraw_listings_of_deleted_account(sender, *, user: User, **kwargs) -> None:
    services.listings_withdraw_all(owner=user)


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
                "photos": [photo.image.url for photo in listing.photos.all()],
            }
            for listing in listings.order_by("id")
        ],
    )
