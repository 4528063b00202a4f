"""Listings' answers to account events (connected in ListingsConfig.ready)."""

from django.conf import settings

from accounts.models import User
from listings import services, uploads
from listings.models import Listing, Photo, NotInterested


def claim_visitor_uploads(sender, *, request, user: User, **kwargs) -> None:
    """A visitor who started a listing and then signed up or logged in: the photos they chose
    become their account's, so the form comes back with them (listings.views.create)."""
    if request is None or not hasattr(request, "session"):
        return
    visitor = request.session.pop(uploads.VISITOR_SESSION_KEY, "")
    uploads.uploads_claim(uploads.Uploader(visitor=visitor), user.pk)


def withdraw_listings_of_deleted_account(sender, *, user: User, **kwargs) -> None:
    services.listings_withdraw_all(owner=user)
    uploads.uploads_forget(user.pk)  # photos and text not yet posted (the form's, or sent on LINE)


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


def export_photo_files(sender, *, user: User, **kwargs) -> list[tuple[str, str]]:
    """The resident's own listing photos for their data ZIP: photos/<listing id>-<position>.<ext>."""
    files, counts = [], {}
    for photo in Photo.objects.filter(listing__owner=user).order_by("listing_id", "position", "id"):
        counts[photo.listing_id] = number = counts.get(photo.listing_id, 0) + 1
        extension = photo.image.name.rsplit(".", 1)[-1].lower() if "." in photo.image.name else "jpg"
        files.append((f"photos/{photo.listing_id}-{number}.{extension}", photo.image.name))
    return files
