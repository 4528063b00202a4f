"""Liveness and readiness: /livez touches nothing, /readyz (and /healthz) checks every dependency,
the file storage and the task worker's heartbeat, and names what fails."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone

from config import health
from core.heartbeat import heartbeat_beat, heartbeat_host
from core.management.commands.run_worker import Heartbeat
from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


class BrokenStorage(FileSystemStorage):
    def _save(self, name, content):
        raise PermissionError("read-only file system")


@pytest.fixture
def worker_checked(settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    return settings


@pytest.fixture
def long_running(monkeypatch):
    """This web process started an hour ago: a worker never seen is no longer waited for."""
    monkeypatch.setattr(health, "STARTED", time.monotonic() - 3600)


def test_livez_answers_without_touching_the_database_or_the_cache(client, settings, django_assert_num_queries):
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with django_assert_num_queries(0):
        response = client.get("/livez", HTTP_HOST="10.0.3.7")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and "version" in response.json()


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_readiness_checks_every_dependency_and_the_worker(client, worker_checked, path):
    heartbeat_beat()
    response = client.get(path, HTTP_HOST="10.0.3.7")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "cache", "channel_layer", "storage", "worker"}
    assert all(check["ok"] for check in checks.values())
    assert checks["worker"]["age_s"] < 5


def test_the_storage_check_writes_reads_and_removes_a_file(client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    assert client.get("/readyz").status_code == 200
    assert list((tmp_path / "health").iterdir()) == []


def test_a_storage_that_refuses_writes_makes_the_site_not_ready(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.BrokenStorage"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["storage"] == {"ok": False, "error": "PermissionError"}
    assert client.get("/livez").status_code == 200  # alive: do not restart it for that


def test_no_worker_ever_seen_fails_readiness_naming_the_worker(client, worker_checked, long_running):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "error": "WorkerNotSeen"}


def test_a_site_just_started_waits_for_its_worker(client, worker_checked, monkeypatch):
    monkeypatch.setattr(health, "STARTED", time.monotonic() - 1)  # this web process started a second ago
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["waiting"] is True


def test_a_worker_silent_for_longer_than_the_limit_fails_readiness(client, worker_checked, clock):
    heartbeat_beat()
    clock.shift(timedelta(seconds=119))
    assert client.get("/readyz").status_code == 200
    clock.shift(timedelta(seconds=2))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["error"] == "WorkerNotSeen"


def test_the_worker_check_can_be_turned_off(client, settings, long_running):
    settings.WORKER_HEARTBEAT_MAX_AGE = 0
    response = client.get("/readyz")
    assert response.status_code == 200 and "worker" not in response.json()["checks"]


def test_check_worker_exits_0_when_fresh_and_1_when_old_or_missing(worker_checked, clock):
    err = StringIO()
    with pytest.raises(SystemExit) as missing:
        call_command("check_worker", stderr=err)
    assert missing.value.code == 1 and "No worker heartbeat" in err.getvalue()

    heartbeat_beat()
    out = StringIO()
    call_command("check_worker", stdout=out)  # no SystemExit: exit status 0
    assert "Worker heartbeat 0 s old" in out.getvalue()

    clock.shift(timedelta(minutes=5))
    with pytest.raises(SystemExit) as old:
        call_command("check_worker", stderr=StringIO())
    assert old.value.code == 1


def test_check_worker_looks_at_this_host_unless_told_otherwise(worker_checked):
    heartbeat_beat(host="another-container")
    with pytest.raises(SystemExit):
        call_command("check_worker", stderr=StringIO())
    call_command("check_worker", "--any-host", stdout=StringIO())


def test_a_host_gone_for_a_week_is_forgotten(clock):
    heartbeat_beat(host="old-container")
    clock.shift(timedelta(days=8))
    heartbeat_beat()
    assert list(WorkerHeartbeat.objects.values_list("host", flat=True)) == [heartbeat_host()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_workers_heartbeat_records_this_host_while_it_runs():
    beat = Heartbeat(interval=60)
    beat.start()
    try:
        deadline = time.monotonic() + 10
        while not WorkerHeartbeat.objects.filter(host=heartbeat_host()).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        beat.stopped.set()
        beat.join(timeout=10)
    seen = WorkerHeartbeat.objects.get(host=heartbeat_host()).seen_at
    assert abs(seen - timezone.now()) < timedelta(seconds=10)
    assert not beat.is_alive()
