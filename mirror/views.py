"""The embeddable widget for the ward's homepage, and the staff page that builds its snippet."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required
from accounts.models import Town
from config.municipality import city_name
from listings.models import Category, Listing
from mirror import selectors
from mirror.filters import WIDGET_DEFAULT_LIMIT, WIDGET_MAX_LIMIT, MirrorFilterForm, filter_query, valid_filters

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


def _widget_query(filters: dict) -> str:
    """The snippet's query: the filters, the number of items, and the language unless it is the default."""
    own = [("limit", filters.get("limit") or WIDGET_DEFAULT_LIMIT)]  # always: staff see it in the form
    if filters.get("lang") and filters["lang"] != settings.LANGUAGE_CODE:
        own.append(("lang", filters["lang"]))
    return "&".join(part for part in (filter_query(filters), urlencode(own)) if part)


@require_GET
@xframe_options_exempt
@csp_override(WIDGET_CSP)
def embed(request: HttpRequest) -> HttpResponse:
    """A small page for an iframe: no cookies, no login, links open the platform in a new tab.
    Its language is the `lang` parameter (default Japanese), not the visitor's browser."""
    filters = valid_filters(request.GET)
    lang = filters.get("lang") or settings.LANGUAGE_CODE
    listings = selectors.filter_listings(
        selectors.listings_for_api(),
        q=filters.get("q") or "",
        kind=filters.get("kind") or "",
        category=filters.get("category") or "",
        town=filters.get("town"),
        free=bool(filters.get("free")),
    ).order_by("-published_at", "-id")[: filters.get("limit") or WIDGET_DEFAULT_LIMIT]
    query = filter_query(filters, free="on")
    more = settings.SITE_URL + reverse("listings:browse") + (f"?{query}" if query else "")
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


@staff_required
def embed_builder(request: HttpRequest) -> HttpResponse:
    """Staff choose filters and get the iframe snippet for the ward's CMS, with a live preview."""
    form = MirrorFilterForm(request.GET or None)
    filters = valid_filters(request.GET) if request.GET else {}
    query = _widget_query(filters)
    src = settings.SITE_URL + reverse("mirror:embed") + (f"?{query}" if query else "")
    titles = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles[code] = _("Latest on the %(city)s item exchange") % {"city": city_name()}
    lang = filters.get("lang") or settings.LANGUAGE_CODE
    snippet = format_html(
        '<iframe src="{}" title="{}" width="100%" height="640" loading="lazy" style="border:0"></iframe>', src, titles[lang]
    )
    raw_limit = request.GET.get("limit", "")
    return render(
        request,
        "mirror/embed_builder.html",
        {
            "form": form,
            "filters": filters,
            "src": src,
            "preview_src": reverse("mirror:embed") + (f"?{query}" if query else ""),
            "snippet": snippet,
            "titles": titles,
            "lang": lang,
            "languages": settings.LANGUAGES,  # each named in its own language
            "default_lang": settings.LANGUAGE_CODE,
            "limit": filters.get("limit") or WIDGET_DEFAULT_LIMIT,
            "limit_max": WIDGET_MAX_LIMIT,
            "limit_clamped": bool(filters.get("limit")) and raw_limit.strip() != str(filters["limit"]),
            "categories": Category.objects.filter(is_active=True),
            "towns": Town.objects.all(),
            "ward_origins": settings.MIRROR_WARD_ORIGINS,
        },
    )
