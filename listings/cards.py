"""A listing as a plain card for what shows listings outside the site's pages (a LINE carousel,
notifications.line_carousel): title, price label, town, photo and page, the URLs absolute. Only
what the listing page shows every visitor; nothing about its poster."""

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.templatetags.static import static
from django.utils.translation import gettext as _

from listings.models import Listing

PLACEHOLDER = "img/no-photo.png"


def _absolute(url: str) -> str:
    return url if "://" in url else settings.SITE_URL.rstrip("/") + url


def price_label(listing: Listing) -> str:
    return _("Free") if listing.is_free else f"¥{intcomma(listing.price)}"


def listing_card(listing: Listing) -> dict:
    """The card of a public listing; its cover's thumbnail (the site's photo URL, served while the
    listing is public) or the placeholder."""
    covers = getattr(listing, "covers", None)  # listings.selectors prefetches the cover
    if covers is None:
        covers = list(listing.photos.filter(position=0)[:1])
    cover = covers[0] if covers else None
    return {
        "title": listing.title,
        "price": price_label(listing),
        "town": listing.town.name,
        "image_url": _absolute(cover.thumbnail.url if cover else static(PLACEHOLDER)),
        "url": _absolute(listing.get_absolute_url()),
    }
