"""The public form of a listing: what the API, the feeds, the widget and webhooks publish.
Never the poster's identity, email, postal code or anything else personal."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from listings.models import PUBLIC_STATUSES, Category, Listing

from accounts.models import Town


def absolute(url: str) -> str:
    """Site paths get SITE_URL in front. Photo URLs are site paths (listings.views.photo checks
    the listing on every request), never the bucket's: they stop answering when it leaves public view."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def to_the_minute(value: datetime | None) -> datetime | None:
    """A public time in the ward's time zone, to the minute: seconds and microseconds would tell
    more about when someone acted than anyone needs (and make times look different for nothing)."""
    return timezone.localtime(value).replace(second=0, microsecond=0) if value else None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 (RFC 3339) to the minute with the ward's offset: 2030-06-12T10:05:00+09:00."""
    return to_the_minute(value).isoformat() if value else None


def category_data(category: Category) -> dict:
    return {"slug": category.slug, "name_ja": category.name_ja, "name_en": category.name_en}


def town_data(town: Town) -> dict:
    return {"id": town.pk, "name": town.name, "name_kana": town.name_kana}


def listing_data(listing: Listing) -> dict:
    """Needs category, town and photos loaded (listings_for_api does it)."""
    return {
        "id": listing.pk,
        "number": listing.number,
        "kind": listing.kind,
        "title": listing.title,
        "description": listing.description,
        "category": category_data(listing.category),
        "town": town_data(listing.town),
        "price": listing.price,
        "status": listing.status,
        "photos": [
            {
                "url": absolute(photo.image.url),
                "thumbnail_url": absolute(photo.thumbnail.url),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in listing.photos.all()
        ],
        "published_at": iso(listing.published_at),
        "expires_at": iso(listing.expires_at),
        "updated_at": iso(listing.updated_at),
        "url": settings.SITE_URL + listing.get_absolute_url(),
    }


def is_public(listing: Listing) -> bool:
    return listing.status in PUBLIC_STATUSES
