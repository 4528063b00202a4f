import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_secret, site_url
from tests.db import fetch, only_on


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG") is expected


@pytest.mark.parametrize("name,reader,raw", [
    ("X_FLAG", lambda: env_bool("X_FLAG"), "maybe"),
    ("X_NUMBER", lambda: env_int("X_NUMBER", 1), "lots"),
    ("X_NUMBER", lambda: env_int("X_NUMBER", 1, minimum=0), "-5"),
])
def test_nonsense_stops_start_up_naming_the_variable(monkeypatch, name, reader, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_lists_and_secret_files(monkeypatch, tmp_path):
    monkeypatch.setenv("X_HOSTS", " a.example.jp, ,b.example.jp ")
    assert env_list("X_HOSTS", []) == ["a.example.jp", "b.example.jp"]
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    monkeypatch.setenv("X_KEY_FILE", str(secret))
    assert env_secret("X_KEY") == "s3cr3t"
    monkeypatch.setenv("X_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_KEY_FILE"):
        env_secret("X_KEY")


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    only_on("postgresql")
    assert fetch("SHOW jit") == [("off",)]


def test_a_log_line_is_printed_once_in_debug_as_under_bin_dev(tmp_path):
    """Django's own console handler on the "django" logger and ours at the root printed every
    django.* line (the task worker's above all) twice."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DJANGO_DEBUG": "1", "MOTTAINAI_VAR_DIR": str(tmp_path)}
    env.pop("MOTTAINAI_TESTING", None)
    code = "import logging; logging.getLogger('django.tasks').info('one line')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert (result.stdout + result.stderr).count("one line") == 1


def test_photo_redirects_to_the_bucket_are_allowed_as_images(monkeypatch):
    """Photos on S3 answer with a redirect to a signed link: the page's img-src must allow the bucket."""
    from config.storage import s3_image_origins

    assert s3_image_origins("") == []
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.example.jp:9000/")
    assert s3_image_origins("photos") == ["https://s3.example.jp:9000", "https://photos.s3.example.jp:9000"]
    monkeypatch.delenv("S3_ENDPOINT_URL")
    monkeypatch.setenv("S3_REGION", "ap-northeast-1")
    assert s3_image_origins("photos") == ["https://photos.s3.amazonaws.com", "https://photos.s3.ap-northeast-1.amazonaws.com"]


@pytest.mark.parametrize("port,expected", [
    (None, "http://127.0.0.1:8000"),
    ("8101", "http://127.0.0.1:8101"),
    ("127.0.0.1:8101", "http://127.0.0.1:8101"),
    ("0.0.0.0:8080", "http://0.0.0.0:8080"),
])
def test_a_development_site_links_to_the_port_bin_dev_serves(monkeypatch, port, expected):
    monkeypatch.delenv("SITE_URL", raising=False)
    if port is None:
        monkeypatch.delenv("PORT", raising=False)
    else:
        monkeypatch.setenv("PORT", port)
    assert site_url(debug=True) == expected


def test_site_url_wins_over_port_and_production_ignores_port(monkeypatch):
    monkeypatch.setenv("PORT", "8101")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url(debug=False) == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://mottainai.example.jp/")
    assert site_url(debug=True) == "https://mottainai.example.jp"
