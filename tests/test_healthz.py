import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_when_database_cache_and_channel_layer_work(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer", "storage"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_names_the_failing_part(client, settings):
    # A real Redis client pointed at a port where nothing listens: the cache is down.
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.0.3.7", "web:8000"])
def test_healthz_answers_a_probe_by_internal_address_while_other_pages_still_check_the_host(client, settings, host):
    # What compose's healthcheck and a load balancer probing by IP send, with production hosts.
    settings.ALLOWED_HOSTS = ["mottainai.example.jp"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert client.get("/", HTTP_HOST=host).status_code == 400
    assert client.get("/api/v1/listings", HTTP_HOST=host).status_code == 400
    assert client.get("/healthz/", HTTP_HOST=host).status_code == 400
