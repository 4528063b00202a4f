"""Error reports: to Sentry only when SENTRY_DSN is set, carrying nothing personal; by email to
ADMINS (DJANGO_ADMINS) when there are some."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path

from config import sentry
from config.env import env_admins, env_networks
from config.sentry import before_send, sentry_init
from core.version import VERSION


def test_no_dsn_no_sentry(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry.sentry_sdk, "init", lambda **options: calls.append(options))
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    monkeypatch.delenv("SENTRY_DSN_FILE", raising=False)
    assert sentry_init() == ("", 0.0)
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.example.jp/1")
    sentry_init(enabled=False)  # the test settings
    assert calls == []


def test_a_dsn_starts_sentry_without_personal_data_or_traces(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry.sentry_sdk, "init", lambda **options: calls.append(options))
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.example.jp/1")
    assert sentry_init() == ("https://key@sentry.example.jp/1", 0.0)
    [options] = calls
    assert options["dsn"] == "https://key@sentry.example.jp/1"
    assert options["send_default_pii"] is False and options["include_local_variables"] is False
    assert options["traces_sample_rate"] == 0.0
    assert options["release"] == VERSION
    assert options["before_send"] is before_send
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "0.05")
    sentry_init()
    assert calls[-1]["traces_sample_rate"] == 0.05
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "5")
    with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE"):
        sentry_init()


def test_before_send_keeps_the_error_and_drops_what_names_a_person():
    event = {
        "message": "boom",
        "level": "error",
        "request": {
            "method": "POST",
            "url": "https://mottainai.example.jp/account/?email=alice@example.com",
            "headers": {"Cookie": "sessionid=abc", "X-Forwarded-For": "203.0.113.5"},
            "cookies": {"sessionid": "abc"},
            "data": {"body": "土曜に伺います", "email": "alice@example.com"},
            "query_string": "email=alice@example.com",
            "env": {"REMOTE_ADDR": "203.0.113.5"},
        },
        "user": {"id": 7, "email": "alice@example.com", "ip_address": "203.0.113.5"},
        "server_name": "web-1",
        "exception": {"values": [{"type": "ValueError", "stacktrace": {"frames": [
            {"function": "message_send", "vars": {"body": "土曜に伺います"}}]}}]},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT 1", "data": {"params": ["alice@example.com"]}}]},
    }
    scrubbed = before_send(event, {})
    assert scrubbed["request"] == {"method": "POST", "url": "https://mottainai.example.jp/account/"}
    assert "user" not in scrubbed and "server_name" not in scrubbed
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"] == [{"function": "message_send"}]
    assert scrubbed["message"] == "boom" and scrubbed["breadcrumbs"]["values"][0]["message"] == "SELECT 1"
    for personal in ("alice@example.com", "203.0.113.5", "土曜に伺います", "sessionid"):
        assert personal not in repr(scrubbed)


@pytest.mark.parametrize("raw,expected", [
    ("", []),
    ("ops@city.example.jp", ["ops@city.example.jp"]),
    ("情報政策課 <it@city.example.jp>, ops@city.example.jp", ["情報政策課 <it@city.example.jp>", "ops@city.example.jp"]),
])
def test_admins_come_from_django_admins(raw, expected, monkeypatch):
    monkeypatch.setenv("DJANGO_ADMINS", raw)
    assert env_admins("DJANGO_ADMINS") == expected


def test_admins_that_are_not_addresses_stop_start_up(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMINS", "IT team")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ADMINS"):
        env_admins("DJANGO_ADMINS")


def test_metrics_allowed_ips_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("METRICS_ALLOWED_IPS", "10.0.5.9, 192.168.10.0/24")
    assert env_networks("METRICS_ALLOWED_IPS") == ["10.0.5.9", "192.168.10.0/24"]
    monkeypatch.setenv("METRICS_ALLOWED_IPS", "prometheus.internal")
    with pytest.raises(ImproperlyConfigured, match="METRICS_ALLOWED_IPS"):
        env_networks("METRICS_ALLOWED_IPS")


def boom(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins_when_there_are_some(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    assert client.get("/boom/").status_code == 500
    assert mail.outbox == []  # no ADMINS: nobody

    settings.ADMINS = ["情報政策課 <it@city.example.jp>"]
    assert client.get("/boom/").status_code == 500
    [report] = mail.outbox
    assert report.to == ["情報政策課 <it@city.example.jp>"] and "RuntimeError" in report.body
