"""The terms of use and the privacy policy: the ward's own pages (LEGAL_*_URL) or the templates.

Each document is a template per language: `legal/terms.html` (Japanese, the default) and
`legal/terms_en.html` (English), the same for `privacy`. A ward replaces them by a template of the
same name in a directory of DJANGO_TEMPLATE_DIRS, or points LEGAL_TERMS_URL / LEGAL_PRIVACY_URL
at its own pages (docs/CONFIGURATION.md).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import select_template
from django.utils import translation
from django.views.decorators.http import require_GET


def _document(request: HttpRequest, name: str, url: str) -> HttpResponse:
    if url:
        return redirect(url)
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    template = select_template([f"legal/{name}_{language}.html", f"legal/{name}.html"])
    context = {"version": settings.TERMS_VERSION, "office_phone": settings.ENVIRONMENT_OFFICE_PHONE, "price_cap": settings.LISTING_PRICE_CAP}
    return HttpResponse(template.render(context, request))


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return _document(request, "terms", settings.LEGAL_TERMS_URL)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return _document(request, "privacy", settings.LEGAL_PRIVACY_URL)
