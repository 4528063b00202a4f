"""The installable web app: the manifest, the service worker and the page it shows offline.

The worker (templates/pwa/sw.js) is served from the root, so that its scope is the whole site. It
keeps the static files and the offline page, and nothing else: pages, the API, messages and
photos always come from the network. It also shows the Web Push notices the notifications app
sends; the message's data is JSON:

    {"title": str, "body": str, "url": "/messages/12/", "tag": str,
     "off_url": "/notifications/push/off/<token>/", "off_label": str, "lang": "ja" | "en"}

`url` (a path of this site) opens on a click; the notice's one action, labelled `off_label`,
POSTs to `off_url` without cookies and unsubscribes this browser.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import HashedFilesMixin, staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.municipality import city_name, service_name
from core.version import VERSION

# The design tokens of static/css/site.css: --color-primary and --color-bg.
THEME_COLOR = "#00118f"
BACKGROUND_COLOR = "#ffffff"
ICON_SIZES = (192, 512)
# What the worker keeps at install, besides the offline page.
PRECACHE = (
    "css/site.css", "js/site.js", "js/pwa.js", "img/favicon.svg", "icons/badge-96.png", "icons/apple-touch-icon.png",
    *(f"icons/{kind}-{size}.png" for kind in ("icon", "maskable") for size in ICON_SIZES),
)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the page's language (base.html asks for it with the cookies)."""
    icons = [
        {"src": static(f"icons/{kind}-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for kind, purpose in (("icon", "any"), ("maskable", "maskable"))
        for size in ICON_SIZES
    ]
    data = {
        "id": "/",
        "name": service_name(),
        "short_name": _("Mottainai"),
        "description": _("Give away and find used items among residents of %(city)s.") % {"city": city_name()},
        "lang": translation.get_language(),
        "dir": "ltr",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker's script. Browsers look for a new one on every visit (no-cache); a new set of
    static URLs makes a new cache and the worker deletes the old one."""
    precache = [static(path) for path in PRECACHE]
    context = {
        name: json.dumps(value)
        for name, value in {
            "cache": f"mottainai-{_cache_version(precache)}",
            "precache": precache,
            "offline_url": reverse("offline"),
            "static_url": settings.STATIC_URL,
            "icon": static("icons/icon-192.png"),
            "badge": static("icons/badge-96.png"),
        }.items()
    }
    response = render(request, "pwa/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows when a page cannot be reached (it keeps the visitor's version)."""
    return render(request, "pwa/offline.html")


def _cache_version(urls: list[str]) -> str:
    """The cache's name follows the static URLs, which carry a hash of each file on a server
    (ManifestStaticFilesStorage), and the release (the offline page's address has no hash). In
    development the names stay the same, so every static file's modification time counts as
    well: an edited stylesheet is not served from an old cache."""
    digest = hashlib.sha256("\n".join([VERSION, *urls]).encode())
    if not isinstance(staticfiles_storage, HashedFilesMixin):
        for finder in finders.get_finders():
            for path, storage in finder.list(None):
                digest.update(f"\n{path} {storage.get_modified_time(path).timestamp()}".encode())
    return digest.hexdigest()[:16]
