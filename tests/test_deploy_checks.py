"""Deployment checks (config/checks.py, demo/checks.py): each fires on its mistake, and a real
production configuration passes them all. `manage.py check --deploy` runs them (bin/check-deploy)."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from accounts.models import User
from config.storage import MANIFEST_STORAGE
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")]

SMTP = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "smtp.example.jp"}}}


@pytest.fixture
def production(settings, monkeypatch, tmp_path):
    """A good production: PostgreSQL, Redis, a bucket, SMTP, the public HTTPS address, collected
    static files with hashed names."""
    monkeypatch.delenv("DEPLOY_SMALL_TRIAL", raising=False)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    settings.DEBUG = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
    settings.REDIS_URL = "redis://10.0.0.5:6379/0"
    settings.S3_BUCKET = "mottainai-photos"
    settings.SITE_URL = "https://mottainai.example.jp"
    settings.MAILERS = SMTP
    return settings


def ids() -> list[str]:
    return sorted(m.id for m in run_checks(include_deployment_checks=True, tags=["mottainai"]))


def test_a_good_production_passes_every_check(production):
    assert ids() == []
    call_command("check", "--deploy", "--tag", "mottainai", "--database", "default", "--fail-level", "WARNING")


def test_sqlite_with_debug_off_is_an_error(production):
    production.DATABASES = {"default": {**production.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    assert ids() == ["mottainai.E001"]


def test_no_redis_is_an_error(production):
    production.REDIS_URL = ""
    assert ids() == ["mottainai.E002"]


def test_local_photos_are_an_error(production):
    production.S3_BUCKET = ""
    assert ids() == ["mottainai.E003"]


@pytest.mark.parametrize(
    "url",
    ["http://mottainai.example.jp", "http://127.0.0.1:8000", "https://localhost", "https://127.0.0.2",
     "https://[::1]:8443", "https://[::1", "mottainai.example.jp", ""],
)
def test_a_plain_http_or_loopback_site_url_is_an_error(production, url):
    production.SITE_URL = url
    assert ids() == ["mottainai.E004"]


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_an_email_backend_that_sends_nothing_is_an_error(production, backend):
    production.MAILERS = {"default": {"BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"}}
    assert ids() == ["mottainai.E005"]


def test_the_small_trial_flag_accepts_sqlite_no_redis_and_local_photos_only(production, monkeypatch):
    monkeypatch.setenv("DEPLOY_SMALL_TRIAL", "1")
    production.DATABASES = {"default": {**production.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    production.REDIS_URL = production.S3_BUCKET = ""
    assert ids() == []
    production.SITE_URL = "http://127.0.0.1:8000"
    production.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert ids() == ["mottainai.E004", "mottainai.E005"]


def test_with_debug_on_the_settings_checks_stay_quiet(production):
    production.DEBUG = True
    production.REDIS_URL = production.S3_BUCKET = production.SITE_URL = ""
    assert ids() == []


def test_demo_accounts_in_the_database_are_an_error(production):
    make_user(email="alice@example.com")
    assert ids() == []
    make_user(email="hanako@example.com")
    messages = run_checks(include_deployment_checks=True, tags=["mottainai"])
    assert [m.id for m in messages] == ["mottainai.E006"]
    assert "hanako@example.com" in messages[0].msg


def test_check_deploy_fails_on_a_mistake_and_looks_at_the_database_only_when_asked(production):
    make_user(email="staff@example.com")
    call_command("check", "--deploy")  # no --database (bin/check-deploy's default): the demo check is left out
    with pytest.raises(SystemCheckError, match="mottainai.E006"):
        call_command("check", "--deploy", "--database", "default")
    production.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError, match="mottainai.E004"):
        call_command("check", "--deploy")


def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo")
    assert not User.objects.filter(email="staff@example.com").exists()


def test_check_deploy_as_is_catches_what_the_ci_example_would_fill_in(tmp_path):
    """`bin/check-deploy` fills unset variables with a production-like example (CI); `--as-is`
    checks a server's environment exactly, so a forgotten variable fails it."""
    import os
    import subprocess

    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if key not in {
        "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SITE_URL", "EMAIL_HOST", "DJANGO_DEBUG",
        "DEPLOY_SMALL_TRIAL", "MOTTAINAI_TESTING", "PYTEST_XDIST_WORKER"}}
    env["MOTTAINAI_VAR_DIR"] = str(tmp_path)
    # As if collected already (collecting for real takes a minute; CI's own bin/check-deploy does it).
    env.update(STATIC_MANIFEST="1", STATIC_ROOT=str(tmp_path / "static"))
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(settings.BASE_DIR / "bin" / "check-deploy"), *args], cwd=settings.BASE_DIR,
                              env=env, capture_output=True, text=True, timeout=120)

    example = check()
    assert example.returncode == 0, example.stdout + example.stderr
    as_is = check("--as-is")
    assert as_is.returncode == 1
    for code in ["E001", "E002", "E003", "E004", "E005"]:
        assert f"mottainai.{code}" in as_is.stderr


def test_plain_static_files_are_an_error(production):
    production.STORAGES = {**production.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    assert ids() == ["mottainai.E007"]


def test_hashed_static_files_never_collected_are_an_error(production):
    (production.STATIC_ROOT / "staticfiles.json").unlink()
    assert ids() == ["mottainai.E008"]


def test_the_image_setting_chooses_the_hashed_compressed_storage(monkeypatch):
    from config.storage import static_storage

    monkeypatch.setenv("STATIC_MANIFEST", "1")
    assert static_storage() == {"BACKEND": MANIFEST_STORAGE}
    monkeypatch.delenv("STATIC_MANIFEST")
    assert static_storage()["BACKEND"] != MANIFEST_STORAGE
