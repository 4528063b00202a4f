"""The staff page that builds the snippet of the embeddable widget (mirror/views.py serves the widget)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.decorators import staff_required
from accounts.models import Town
from core.municipality import city_name
from listings.models import Category
from mirror.filters import WIDGET_DEFAULT_LIMIT, WIDGET_MAX_LIMIT, MirrorFilterForm, valid_filters, widget_query


@staff_required
def embed_builder(request: HttpRequest) -> HttpResponse:
    """Staff choose filters and get the iframe snippet for the ward's CMS, with a live preview."""
    form = MirrorFilterForm(request.GET or None)
    filters = valid_filters(request.GET) if request.GET else {}
    query = widget_query(filters)
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
        "moderation/embed_builder.html",
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
