"""Prometheus metrics at /metrics, for the ward's monitoring only (docs/CONFIGURATION.md).

Allowed with `Authorization: Bearer <METRICS_TOKEN>` or from an address in METRICS_ALLOWED_IPS
(the direct peer, REMOTE_ADDR: a scraper that comes through the site's own proxy has the proxy's
address, so list only addresses that reach the web process directly). Anyone else, and everyone
when neither is set, gets a plain 404: the page does not advertise itself.

Two kinds of figures:
- `mottainai_http_requests_total`, counted by each web process (RequestCountMiddleware). With
  several processes behind one port (granian --workers, gunicorn), set PROMETHEUS_MULTIPROC_DIR
  to an empty directory shared by them: prometheus-client then adds up every process's counts.
  Without it each process reports its own, and a scrape reaches one of them.
- Everything else is read from the database (and the cache) at scrape time by `SiteCollector`, so
  it is the same whichever process answers: the task queue, failed tasks, webhooks, emails,
  listings, open websockets, the worker's heartbeat.
"""

import hmac
import ipaddress
import os
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from core.heartbeat import heartbeat_age
from core.metrics import websocket_count
from core.models import FailedNotice
from listings.models import Listing
from mirror.models import WebhookDelivery

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
FAILED_WINDOW = timedelta(hours=24)

# Not in prometheus-client's global registry: only what /metrics collects below is shown.
REQUESTS = Counter(
    "mottainai_http_requests", "HTTP requests answered, by method and status class (2xx, 4xx, ...).",
    ["method", "status"], registry=None,
)


class RequestCountMiddleware:
    """Counts each answer by method (others as "other") and status class: few label values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(method=method, status=f"{response.status_code // 100}xx").inc()
        return response


class SiteCollector:
    """Gauges read from the database at scrape time."""

    def collect(self):
        now = timezone.now()
        ready = DBTaskResult.objects.ready()
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        yield GaugeMetricFamily("mottainai_tasks_ready", "Tasks waiting for the worker.", value=ready.count())
        yield GaugeMetricFamily(
            "mottainai_tasks_oldest_ready_age_seconds", "Age of the oldest task waiting for the worker (0: none).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        yield GaugeMetricFamily(
            "mottainai_tasks_failed_24h", "Tasks that ended with an error in the last 24 hours.",
            value=DBTaskResult.objects.failed().filter(finished_at__gte=now - FAILED_WINDOW).count(),
        )
        deliveries = GaugeMetricFamily(
            "mottainai_webhook_deliveries", "Webhook deliveries failing (will retry) or given up, by status.",
            labels=["status"],
        )
        counts = dict(
            WebhookDelivery.objects.filter(status__in=[WebhookDelivery.Status.FAILED, WebhookDelivery.Status.GAVE_UP])
            .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        for status in (WebhookDelivery.Status.FAILED, WebhookDelivery.Status.GAVE_UP):
            deliveries.add_metric([status.value], counts.get(status.value, 0))
        yield deliveries
        yield GaugeMetricFamily(
            "mottainai_emails_failed_24h", "Emails given up (FailedNotice rows) in the last 24 hours.",
            value=FailedNotice.objects.filter(created_at__gte=now - FAILED_WINDOW).count(),
        )
        yield GaugeMetricFamily(
            "mottainai_emails_failed", "Emails given up and still listed for staff (FailedNotice rows).",
            value=FailedNotice.objects.count(),
        )
        listings = GaugeMetricFamily("mottainai_listings", "Listings by status.", labels=["status"])
        counts = dict(Listing.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        for status in Listing._meta.get_field("status").choices:
            listings.add_metric([status[0]], counts.get(status[0], 0))
        yield listings
        yield GaugeMetricFamily(
            "mottainai_websocket_connections", "Open websocket connections (counted in the cache; approximate).",
            value=websocket_count(),
        )
        age = heartbeat_age()
        yield GaugeMetricFamily(
            "mottainai_worker_heartbeat_age_seconds", "Seconds since a task worker last reported (-1: never).",
            value=-1 if age is None else age.total_seconds(),
        )


def allowed(request: HttpRequest) -> bool:
    """A right token, or a listed address; nothing configured allows nobody."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format; called by config.health.HealthCheckMiddleware only for an
    allowed GET, so that anyone else gets the site's ordinary 404 page for /metrics."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
    registry.register(SiteCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
