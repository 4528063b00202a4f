from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from config import legal, pwa
from config.health import healthz, livez, readyz
from listings import views as listing_views
from mirror.api import api, not_found as api_not_found
from moderation import report_views as moderation_report_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("", listing_views.home, name="home"),
    # Listing photos, also in development: the view decides who may see each one, so nothing
    # serves MEDIA_ROOT as plain files (no django.conf.urls.static here).
    path("media/<path:name>", listing_views.photo, name="listing_photo"),
    path("terms/", legal.terms, name="terms"),
    path("privacy/", legal.privacy, name="privacy"),
    # The installable app: at the root, so that the service worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("listings/", include("listings.urls")),
    path("account/reports/", moderation_report_views.my_reports, name="my_reports"),
    path("account/", include("accounts.urls")),
    path("messages/", include("messaging.urls")),
    path("alerts/", include("alerts.urls")),
    path("notifications/", include("notifications.urls")),
    path("line/", include("lineoa.urls")),
    path("board/", include("community.urls")),
    path("consultations/", include("consultations.urls")),
    # Any path under /api/v1/ that is not an operation gets the API's JSON 404, also the root
    # (django-ninja's own root view raises the site's HTML 404).
    path("api/v1/", api_not_found, name="api_root_not_found"),
    path("api/v1/", api.urls),  # namespace "api" (the docs page reverses it)
    re_path(r"^api/v1(?:/|$)", api_not_found, name="api_not_found"),
    path("", include("mirror.urls")),
    path("auth/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("moderation.urls")),
    path("staff/mirror/", include("moderation.mirror_urls")),  # namespace "mirror_staff"
    path("staff/board/", include("moderation.board_urls")),  # namespace "community_staff"
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # LINE's Messaging API stand-in for development (lineoa/standin.py): bin/dev points the LINE
    # settings here when nothing is configured, for the staff's LINE simulator.
    urlpatterns.insert(0, path("dev/line-api/", include("lineoa.standin_urls")))
