"""The embeddable widget for the ward's homepage (staff build its snippet in moderation/widget_views.py)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from core.municipality import city_name
from listings.models import Listing
from mirror.filters import WIDGET_DEFAULT_LIMIT, browse_url, filtered_listings, valid_filters

# The widget may be framed by the ward's site (and by our own builder page), nothing else.
WIDGET_CSP = {
    **settings.SECURE_CSP,
    "frame-ancestors": [CSP.SELF, *settings.MIRROR_WARD_ORIGINS],
}


def _heading(kind: str, city: str) -> str:
    """The widget's heading says what it lists."""
    if kind == Listing.Kind.OFFER:
        return _("Items residents of %(city)s are giving away") % {"city": city}
    if kind == Listing.Kind.WANTED:
        return _("Items residents of %(city)s are looking for") % {"city": city}
    return _("Latest on the %(city)s item exchange") % {"city": city}


@require_GET
@xframe_options_exempt
@csp_override(WIDGET_CSP)
def embed(request: HttpRequest) -> HttpResponse:
    """A small page for an iframe: no cookies, no login, links open the platform in a new tab.
    Its language is the `lang` parameter (default Japanese), not the visitor's browser."""
    filters = valid_filters(request.GET)
    lang = filters.get("lang") or settings.LANGUAGE_CODE
    listings = filtered_listings(filters).order_by("-published_at", "-id")[: filters.get("limit") or WIDGET_DEFAULT_LIMIT]
    more = browse_url(filters)
    with translation.override(lang):
        response = render(
            request,
            "mirror/embed.html",
            {
                "listings": list(listings),
                "heading": _heading(filters.get("kind") or "", city_name()),
                "more_url": more,
                "site_url": settings.SITE_URL,
            },
        )
    response["Content-Language"] = lang
    response["Cache-Control"] = f"public, max-age={settings.MIRROR_CACHE_SECONDS}"
    return response

