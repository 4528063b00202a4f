import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_when_database_cache_and_channel_layer_work(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_names_the_failing_part(client, settings):
    # A real Redis client pointed at a port where nothing listens: the cache is down.
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert response.json()["checks"]["database"]["ok"] is True
