"""/metrics: the Prometheus figures an operator graphs and alerts on, shown only to the ward's
monitoring (a token or an allowed address) and an ordinary 404 page to anyone else."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from core.heartbeat import heartbeat_beat
from core.models import FailedNotice
from listings.models import Listing
from mirror.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.factories import make_listing
from tests.messaging.sockets import cookie_for, run, socket

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-0123456789"


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple, float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.3.7")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples
        }

    return scrape


def test_without_a_token_or_an_allowed_address_metrics_is_the_sites_404(client, settings):
    assert client.get("/metrics").status_code == 404  # nothing configured: nobody
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 404 and "mottainai_" not in response.content.decode()
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404  # not "Bearer ..."
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_allowed_address_or_network_may_scrape_without_a_token(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.5.9", "192.168.10.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.5.9", HTTP_HOST="10.0.3.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.10.77").status_code == 200
    # A forwarded address counts for nothing: only the direct peer.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.5.9").status_code == 404


def test_requests_are_counted_by_method_and_status_class(client, scraper):
    before = scraper()
    client.get("/no-such-page/")
    client.get("/no-such-page/")
    client.post("/healthz")  # 405
    after = scraper()

    def grown(method, status):
        key = ("mottainai_http_requests_total", (("method", method), ("status", status)))
        return after.get(key, 0) - before.get(key, 0)

    assert grown("GET", "4xx") == 2
    assert grown("POST", "4xx") == 1
    assert grown("GET", "2xx") == 1  # the first scrape


def test_the_task_queue_failed_tasks_webhooks_emails_and_listings_are_read_at_scrape_time(scraper, alice, clock):
    now = timezone.now()
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="alerts.tasks.send_digests",
                                backend_name="default", run_after=now - timedelta(minutes=1))
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.get().pk).update(enqueued_at=now - timedelta(minutes=10))
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="alerts.tasks.send_digests",
                                backend_name="default", run_after=now + timedelta(hours=1))  # not ready yet
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="core.tasks.send_email",
                                backend_name="default", run_after=now, status=TaskResultStatus.FAILED, finished_at=now)
    FailedNotice.objects.create(recipient="a***@example.com", kind="x", reason="server", error="OSError", attempts=5)
    endpoint = WebhookEndpoint.objects.create(url="https://example.jp/hook")
    listing = make_listing(alice)
    make_listing(alice, publish=False)
    for number, status in enumerate(["gave_up", "failed", "failed", "succeeded"], start=100):
        event = WebhookEvent.objects.create(type="listing.published", listing_id=listing.pk, sequence=number, payload={})
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, status=status)

    figures = scraper()
    assert figures[("mottainai_tasks_ready", ())] == 1
    assert figures[("mottainai_tasks_oldest_ready_age_seconds", ())] == pytest.approx(600, abs=5)
    assert figures[("mottainai_tasks_failed_24h", ())] == 1
    assert figures[("mottainai_emails_failed_24h", ())] == 1
    assert figures[("mottainai_emails_failed", ())] == 1
    assert figures[("mottainai_webhook_deliveries", (("status", "failed"),))] == 2
    assert figures[("mottainai_webhook_deliveries", (("status", "gave_up"),))] == 1
    assert figures[("mottainai_listings", (("status", "published"),))] == 1
    assert figures[("mottainai_listings", (("status", "draft"),))] == 1
    assert figures[("mottainai_listings", (("status", "hidden"),))] == 0
    assert figures[("mottainai_worker_heartbeat_age_seconds", ())] == -1

    heartbeat_beat()
    clock.shift(timedelta(seconds=30))
    assert scraper()[("mottainai_worker_heartbeat_age_seconds", ())] == pytest.approx(30, abs=2)
    assert Listing.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_websockets_are_counted_while_connected(scraper, alice):
    cookie = cookie_for(alice)

    async def connect_two():
        first, second = socket("/ws/notifications/", cookie), socket("/ws/notifications/", cookie)
        assert (await first.connect())[0] and (await second.connect())[0]
        await first.receive_json_from(timeout=5)
        await second.receive_json_from(timeout=5)
        return first, second

    async def close(*sockets):
        for ws in sockets:
            await ws.disconnect()

    async def scenario():
        first, second = await connect_two()
        during = (await sync_to_async(scraper)())[("mottainai_websocket_connections", ())]
        await close(first)
        after_one = (await sync_to_async(scraper)())[("mottainai_websocket_connections", ())]
        await close(second)
        return during, after_one

    assert run(scenario()) == (2, 1)
    assert scraper()[("mottainai_websocket_connections", ())] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cache_that_is_down_costs_the_count_never_the_connection(settings, alice, monkeypatch):
    """A Redis restart while a phone connects (tests/stack/test_faults.py found it): the socket is
    accepted and gets its first message all the same. The count's cache is a real Redis client
    with nothing listening at its port."""
    import core.metrics
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "down": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on port 9
    monkeypatch.setattr(core.metrics, "cache", caches["down"])
    cookie = cookie_for(alice)

    async def scenario():
        ws = socket("/ws/notifications/", cookie)
        connected = (await ws.connect())[0]
        first = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return connected, first

    connected, first = run(scenario())
    assert connected and first
