"""Deployment checks for mistakes Django's own `check --deploy` cannot know about (docs/DEPLOY.md).

They run with `manage.py check --deploy` (`bin/check-deploy`). Each looks at the settings of a
production (DEBUG off); with DEBUG on, Django's own security.W018 already says it is not one.
`DEPLOY_SMALL_TRIAL=1` declares a trial on one machine and accepts SQLite, no Redis and local photos.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from config.env import env_bool
from config.storage import MANIFEST_STORAGE

TAG = "mottainai"  # `manage.py check --deploy --tag mottainai` runs only these
TRIAL_HINT = "Or, for a small trial on one machine only, set DEPLOY_SMALL_TRIAL=1 (docs/DEPLOY.md)."
LOCAL_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def _production() -> bool:
    return not settings.DEBUG


def _trial() -> bool:
    return env_bool("DEPLOY_SMALL_TRIAL", False)


@register(TAG, deploy=True)
def check_database_engine(app_configs=None, **kwargs) -> list:
    """E001: SQLite holds one writer at a time and lives on one machine's disk."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if not _production() or _trial() or not engine.endswith("sqlite3"):
        return []
    return [
        Error(
            "The database is SQLite, which serves one machine and one writer at a time.",
            hint="Set DATABASE_URL to a PostgreSQL database. " + TRIAL_HINT,
            id="mottainai.E001",
        )
    ]


@register(TAG, deploy=True)
def check_redis(app_configs=None, **kwargs) -> list:
    """E002: without Redis every process has its own cache, rate limits and channel layer."""
    if not _production() or _trial() or settings.REDIS_URL:
        return []
    return [
        Error(
            "REDIS_URL is not set: each process keeps its own cache and channel layer, so rate "
            "limits are per process and websocket messages from the task worker or another "
            "process never reach the browser.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0). " + TRIAL_HINT,
            id="mottainai.E002",
        )
    ]


@register(TAG, deploy=True)
def check_media_storage(app_configs=None, **kwargs) -> list:
    """E003: photos on the local disk exist on one machine only and leave with it."""
    if not _production() or _trial() or settings.S3_BUCKET:
        return []
    return [
        Error(
            f"S3_BUCKET is not set: photos are stored on this machine's disk ({settings.MEDIA_ROOT}), "
            "which other servers and containers cannot read.",
            hint="Set S3_BUCKET and the S3_* variables (a private bucket). " + TRIAL_HINT,
            id="mottainai.E003",
        )
    ]


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(TAG, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list:
    """E004: SITE_URL is the address in every email; residents must be able to open it, over TLS."""
    if not _production():
        return []
    try:
        parts = urlsplit(settings.SITE_URL)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts = None
    if parts and parts.scheme == "https" and parts.hostname and not _loopback(parts.hostname):
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}: emails would link residents to an address that is "
            "not the public HTTPS site.",
            hint="Set SITE_URL to the public address, e.g. https://mottainai.example.jp.",
            id="mottainai.E004",
        )
    ]


@register(TAG, deploy=True)
def check_email_backend(app_configs=None, **kwargs) -> list:
    """E005: a console, file, memory or dummy backend sends nothing: sign-ups never get confirmed."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if not _production() or backend not in LOCAL_MAIL_BACKENDS:
        return []
    return [
        Error(
            f"The email backend {backend} sends nothing: residents never receive their "
            "confirmation links or notifications.",
            hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to send by SMTP.",
            id="mottainai.E005",
        )
    ]


@register(TAG, deploy=True)
def check_static_files(app_configs=None, **kwargs) -> list:
    """E007: unhashed static files cannot be cached by browsers and go out uncompressed; E008: a
    manifest storage with nothing collected answers every page with a server error."""
    if not _production():
        return []
    if settings.STORAGES["staticfiles"]["BACKEND"] != MANIFEST_STORAGE:
        return [
            Error(
                "Static files are served under their plain names, uncompressed.",
                hint="Set STATIC_MANIFEST=1 and run `manage.py collectstatic` (the image does both; docs/DEPLOY.md).",
                id="mottainai.E007",
            )
        ]
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return [
            Error(
                f"STATIC_MANIFEST=1 but nothing was collected into {settings.STATIC_ROOT}: every page would fail.",
                hint="Run `manage.py collectstatic --no-input` after each upgrade, before starting the servers.",
                id="mottainai.E008",
            )
        ]
    return []
