"""The embeddable widget for the ward's homepage, and the staff page that builds its snippet."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required
from accounts.models import Town
from listings.models import Category
from mirror import selectors
from mirror.filters import MirrorFilterForm, filter_query, valid_filters

WIDGET_DEFAULT_LIMIT = 6

# The widget may be framed by the ward's site (and by our own builder page), nothing else.
WIDGET_CSP = {
    **settings.SECURE_CSP,
    "frame-ancestors": [CSP.SELF, *settings.MIRROR_WARD_ORIGINS],
}


@require_GET
@xframe_options_exempt
@csp_override(WIDGET_CSP)
def embed(request: HttpRequest) -> HttpResponse:
    """A small page for an iframe: no cookies, no login, links open the platform in a new tab."""
    filters = valid_filters(request.GET)
    limit = filters.get("limit") or WIDGET_DEFAULT_LIMIT
    listings = selectors.filter_listings(
        selectors.listings_for_api(),
        q=filters.get("q") or "",
        kind=filters.get("kind") or "",
        category=filters.get("category") or "",
        town=filters.get("town"),
        free=bool(filters.get("free")),
    ).order_by("-published_at", "-id")[:limit]
    query = filter_query(filters, free="on")
    more = settings.SITE_URL + reverse("listings:browse") + (f"?{query}" if query else "")
    response = render(request, "mirror/embed.html", {"listings": list(listings), "more_url": more, "site_url": settings.SITE_URL})
    response["Cache-Control"] = f"public, max-age={settings.MIRROR_CACHE_SECONDS}"
    return response


@staff_required
def embed_builder(request: HttpRequest) -> HttpResponse:
    """Staff choose filters and get the iframe snippet for the ward's CMS, with a live preview."""
    form = MirrorFilterForm(request.GET or None)
    filters = valid_filters(request.GET) if request.GET else {}
    query = urlencode({k: ("1" if v is True else v) for k, v in filters.items() if v not in (None, "", False)})
    src = settings.SITE_URL + "/embed/listings" + (f"?{query}" if query else "")
    snippet = (
        f'<iframe src="{src}" title="{settings.MUNICIPALITY_CITY} 不用品交換の新着" '
        'width="100%" height="640" loading="lazy" style="border:0"></iframe>'
    )
    return render(
        request,
        "mirror/embed_builder.html",
        {
            "form": form,
            "src": src,
            "preview_src": "/embed/listings" + (f"?{query}" if query else ""),
            "snippet": snippet,
            "categories": Category.objects.filter(is_active=True),
            "towns": Town.objects.all(),
            "ward_origins": settings.MIRROR_WARD_ORIGINS,
        },
    )
