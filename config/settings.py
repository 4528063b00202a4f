"""Mottainai settings: one module, driven by environment variables (see docs/CONFIGURATION.md).
With none set: the embedded default (SQLite under var/, in-memory layer and cache, local media, mail files)."""

import importlib.util
import sys
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as corsheaders_default_headers
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_admins, env_bool, env_int, env_list, env_networks, env_ports, env_secret, env_str, env_time, signing_keys, site_url
from config.logs import logging_config
from config.notices import notice_settings
from config.sentry import sentry_init
from config.retention import retention_days
from config.storage import s3_image_origins, s3_storage, static_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTTAINAI_VAR_DIR", str(BASE_DIR / "var")))
TESTING = "pytest" in sys.modules or env_bool("MOTTAINAI_TESTING", False)

# --- Core -------------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY, SECRET_KEY_FALLBACKS, BOARD_PSEUDONYM_KEY, CONSULTATION_VOTER_KEY = signing_keys(VAR_DIR / "secret_key")  # config/env.py
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = site_url(DEBUG)  # on a development site, bin/dev's PORT when unset
SITE_ID = 1

INSTALLED_APPS = [
    # daphne (the dev group) makes runserver serve websockets; servers use granian and uvicorn.
    *(["daphne"] if importlib.util.find_spec("daphne") else []),
    "config.apps.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "django_filters",
    "corsheaders",
    "ninja",
    "channels",
    "django_tasks_db",
    "core",
    "accounts",
    "listings",
    "community",
    "moderation",
    "messaging",
    "mirror",
    "alerts", "notifications", "consultations",
    "lineoa",
    "demo",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",  # X-Request-ID on every answer, request_id in every log line
    "config.metrics.RequestCountMiddleware",  # the request counter of /metrics
    "django.middleware.security.SecurityMiddleware",
    "config.health.HealthCheckMiddleware",  # /healthz, /livez, /readyz, /metrics for any Host
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.pagecache.ResidentWritesMiddleware",  # a resident's form or fetch refreshes their cached pages
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.TermsMiddleware",  # a new version of the terms is accepted before the next page
    "core.ratelimit.RateLimitMiddleware",  # a refused repeat (core/ratelimit.py) becomes a 429 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [*env_list("DJANGO_TEMPLATE_DIRS", []), BASE_DIR / "templates"],  # a ward's overrides first
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "messaging.context_processors.unread",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # Persistent connections suit WSGI workers; under ASGI every request may run in a new
            # thread, so set 0 there (docs/DEPLOY.md).
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Web queries are short: PostgreSQL's JIT compiler and parallel workers cost more (JIT:
        # 20-30 ms at a million listings; starting workers: 5-20 ms) than they save on them
        # (docs/PERFORMANCE.md). A DATABASE_URL may still set its own `options`.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # a form's short choice lists: no DECLARE round trips
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write inside a transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, tasks --------------------------------------------------------------
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL and TESTING and env_str("PYTEST_XDIST_WORKER"):  # pytest -n: a Redis database per test process
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/" + str(1 + int(env_str("PYTEST_XDIST_WORKER")[2:]))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mottainai"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # read from Redis, kept in the database
    # Imported only here: the embedded default (no REDIS_URL) does not load redis-py at all.
    from config.channel_layer import redis_channel_layers

    CHANNEL_LAYERS = redis_channel_layers(
        REDIS_URL,
        prefix=env_str("CACHE_KEY_PREFIX", "mottainai") + ":asgi",
        max_connections=env_int("CHANNEL_LAYER_MAX_CONNECTIONS", 2000, minimum=10),
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 if REDIS_URL and not TESTING else 0, minimum=0)  # core/pagecache.py

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # where listings.views.photo serves photos (config/urls.py), in every environment
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve static files from the finders when nothing was collected (embedded default).
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()

S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": static_storage(),
}
if S3_BUCKET:
    STORAGES["default"] = s3_storage(S3_BUCKET)
# Uploads above this are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Email ------------------------------------------------------------------------------------
SMTP_HOST = env_str("EMAIL_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 15,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": VAR_DIR / "mail"},
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mottainai <no-reply@mottainai.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Starts every email's subject: ours (core/mail.py), allauth's (accounts/adapter.py), admins' reports.
EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "[Mottainai] ")

# --- Accounts (django-allauth) ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # one password field: fewer taps on a phone
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ResidentSignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # its emails go by core's mail task
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True  # a code typed in the same tab: the kept listing is there
ACCOUNT_PREVENT_ENUMERATION = True
# Two-factor authentication (TOTP) is enforced for the staff role by accounts.decorators.staff_required.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Mottainai")
SOCIALACCOUNT_AUTO_SIGNUP = False  # LINE users still give their postal code on the signup form
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_PROVIDERS: dict = {}
LINE_CHANNEL_ID = env_str("LINE_CHANNEL_ID")
LINE_CHANNEL_SECRET = env_secret("LINE_CHANNEL_SECRET")
if LINE_CHANNEL_ID and LINE_CHANNEL_SECRET:
    INSTALLED_APPS.append("allauth.socialaccount.providers.line")
    SOCIALACCOUNT_PROVIDERS["line"] = {
        "APPS": [{"client_id": LINE_CHANNEL_ID, "secret": LINE_CHANNEL_SECRET}],
        "SCOPE": ["profile", "openid", "email"],
    }

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- Security ---------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *s3_image_origins(S3_BUCKET), *env_list("CSP_IMG_SRC", [])],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF, *env_list("CSP_FORM_ACTION", [])],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|livez|readyz|metrics)$"]  # probes and scrapers come over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)

# --- Municipality -----------------------------------------------------------------------------
MUNICIPALITY_PREFECTURE = env_str("MUNICIPALITY_PREFECTURE", "東京都")
MUNICIPALITY_CITY = env_str("MUNICIPALITY_CITY", "中央区")
# English names, shown instead of the two above on English pages.
MUNICIPALITY_NAME_EN = env_str("MUNICIPALITY_NAME_EN", "Chuo City")
MUNICIPALITY_PREFECTURE_EN = env_str("MUNICIPALITY_PREFECTURE_EN", "Tokyo")
# The environment office: its phone and the name residents see for all staff and in every text.
ENVIRONMENT_OFFICE_PHONE = env_str("ENVIRONMENT_OFFICE_PHONE", "")
ENVIRONMENT_OFFICE_NAME = env_str("ENVIRONMENT_OFFICE_NAME", "環境推進課")
ENVIRONMENT_OFFICE_NAME_EN = env_str("ENVIRONMENT_OFFICE_NAME_EN", "Environment Office")
# Terms of use and privacy policy (docs/CONFIGURATION.md): a new version is accepted at next visit.
TERMS_VERSION = env_str("TERMS_VERSION", "2026-12").strip() or "2026-12"
LEGAL_TERMS_URL, LEGAL_PRIVACY_URL = env_str("LEGAL_TERMS_URL"), env_str("LEGAL_PRIVACY_URL")  # a ward's own pages

# --- Limits on repeats (core/ratelimit.py): reports of listings, messages, posts, per resident --
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 10, minimum=1)

# --- Listings ---------------------------------------------------------------------------------
LISTING_PRICE_CAP = env_int("LISTING_PRICE_CAP", 10_000, minimum=0)
LISTING_EXPIRY_DAYS = env_int("LISTING_EXPIRY_DAYS", 90, minimum=1)
LISTING_EXPIRY_REMINDER_DAYS = env_int("LISTING_EXPIRY_REMINDER_DAYS", 3, minimum=0)  # 0: no reminder
# A published listing can be renewed only this many days before it expires (expired ones always).
LISTING_RENEW_WINDOW_DAYS = env_int("LISTING_RENEW_WINDOW_DAYS", 14, minimum=0)
LISTING_PREMODERATION = env_bool("LISTING_PREMODERATION", False)
LISTING_MAX_PHOTOS = env_int("LISTING_MAX_PHOTOS", 10, minimum=1)
LISTING_CREATE_PER_DAY = env_int("LISTING_CREATE_PER_DAY", 30, minimum=1)
LISTING_PHOTO_MAX_BYTES = env_int("LISTING_PHOTO_MAX_MB", 15, minimum=1) * 1024 * 1024
LISTING_PHOTO_MAX_PIXELS = env_int("LISTING_PHOTO_MAX_PIXELS", 50_000_000, minimum=1_000_000)
LISTING_PHOTO_DISPLAY_EDGE, LISTING_PHOTO_THUMB_EDGE = 1600, 400
# Seconds a public photo may be cached and a signed bucket link lasts (docs/SECURITY.md, Photos).
LISTING_PHOTO_MAX_AGE = env_int("LISTING_PHOTO_MAX_AGE", 60, minimum=1)
# A request may carry all photos of a listing at once.
DATA_UPLOAD_MAX_NUMBER_FILES = LISTING_MAX_PHOTOS + 5

# --- Logs, errors, metrics, health (docs/CONFIGURATION.md, "Logs, metrics and health") ----------
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), log_format=env_str("LOG_FORMAT", "console" if DEBUG else "json"))
ADMINS = env_admins("DJANGO_ADMINS")  # Django mails them each server error (500), when set
SENTRY_DSN, SENTRY_TRACES_SAMPLE_RATE = sentry_init(enabled=not TESTING)  # both read from the environment
METRICS_TOKEN, METRICS_ALLOWED_IPS = env_secret("METRICS_TOKEN"), env_networks("METRICS_ALLOWED_IPS")
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120, minimum=0)  # seconds; 0: no worker check

# --- Tests ------------------------------------------------------------------------------------
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    MEDIA_ROOT = VAR_DIR / "test-media"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # consumer threads must not keep the test database open
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # A file, not shared-cache memory: concurrent tests then wait on SQLite's lock (as in
        # production) instead of failing at once with "database table is locked".
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    if not S3_BUCKET:
        STORAGES["default"] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT},
        }

# --- Mirror: public API, feeds, widget, webhooks ---------------------------------------------
# Origins of the ward's website: they may call the API from a browser (CORS) and frame the widget.
MIRROR_WARD_ORIGINS = env_list("MIRROR_WARD_ORIGINS", [])
CORS_ALLOWED_ORIGINS = MIRROR_WARD_ORIGINS
CORS_URLS_REGEX = r"^/(api/v1|feeds)/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# The ward's scripts may revalidate their copy (304 Not Modified).
CORS_ALLOW_HEADERS = [*corsheaders_default_headers, "if-none-match", "if-modified-since"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link"]
MIRROR_API_RATE = env_str("MIRROR_API_RATE", "600/m")  # per client IP
# How many reverse proxies stand in front (their X-Forwarded-For entries are trusted for the client IP).
NINJA_NUM_PROXIES = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
MIRROR_CACHE_SECONDS = env_int("MIRROR_CACHE_SECONDS", 60, minimum=0)
MIRROR_WEBHOOK_TIMEOUT_SECONDS = env_int("MIRROR_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
MIRROR_WEBHOOK_RETRY_HOURS = env_int("MIRROR_WEBHOOK_RETRY_HOURS", 24, minimum=1)
# Webhooks go to loopback, RFC 1918, CGNAT and IPv6 ULA addresses only with this on (tests, intranet).
MIRROR_WEBHOOK_ALLOW_PRIVATE = env_bool("MIRROR_WEBHOOK_ALLOW_PRIVATE", False)
MIRROR_WEBHOOK_PORTS = env_ports("MIRROR_WEBHOOK_PORTS", ["80", "443"])  # the ports webhook URLs may use

# --- Saved searches and alerts -----------------------------------------------------------------
ALERTS_INSTANT_MIN_INTERVAL_MINUTES = env_int("ALERTS_INSTANT_MIN_INTERVAL_MINUTES", 60, minimum=1)
ALERTS_MAX_SAVED_SEARCHES = env_int("ALERTS_MAX_SAVED_SEARCHES", 20, minimum=1)
ALERTS_SAVED_SEARCHES_PER_HOUR = env_int("ALERTS_SAVED_SEARCHES_PER_HOUR", 10, minimum=1)
CONSULTATIONS_MIN_CELL = env_int("CONSULTATIONS_MIN_CELL", 10, minimum=1)  # results by town: towns with fewer answers merged
ALERTS_DIGEST_HOUR = env_int("ALERTS_DIGEST_HOUR", 7, minimum=0, maximum=23, unit="an hour")  # 24 would crash the digest's scheduling
LINE_MESSAGING_CHANNEL_TOKEN = env_secret("LINE_MESSAGING_CHANNEL_TOKEN")
LINE_MESSAGING_CHANNEL_SECRET = env_secret("LINE_MESSAGING_CHANNEL_SECRET")
LINE_MESSAGING_API_URL = env_str("LINE_MESSAGING_API_URL", "https://api.line.me").rstrip("/")
# --- Notices: web push, LINE, quiet hours, the daily cap (config/notices.py, docs/NOTIFICATIONS.md)
NOTICES = notice_settings(VAR_DIR / "web_push_vapid_key.pem")

# --- Messaging (after the test block so that tests see the same values) -----------------------
MESSAGING_MAX_LENGTH = 2000
MESSAGING_RATE_PER_MINUTE = env_int("MESSAGING_RATE_PER_MINUTE", 20, minimum=1)
MESSAGING_NEW_CONVERSATIONS_PER_DAY = env_int("MESSAGING_NEW_CONVERSATIONS_PER_DAY", 20, minimum=1)
MESSAGING_MAX_ACTIVE_RESERVATIONS = env_int("MESSAGING_MAX_ACTIVE_RESERVATIONS", 3, minimum=1)
MESSAGING_EMAIL_AFTER_MINUTES = env_int("MESSAGING_EMAIL_AFTER_MINUTES", 15, minimum=1)
MESSAGING_PICKUP_REMINDER_HOURS = env_int("MESSAGING_PICKUP_REMINDER_HOURS", 3, minimum=1)
RETENTION_DAYS = retention_days()  # days each kind of data is kept; 0 is forever (docs/RETENTION.md)
SCHEDULE_DAILY_AT = env_time("SCHEDULE_DAILY_AT", "03:30")  # run_schedule's daily jobs, TIME_ZONE (core/schedule.py)

# --- Community board --------------------------------------------------------------------------
COMMUNITY_POST_MAX_LENGTH = 4000
COMMUNITY_POSTS_PER_PAGE = 50
COMMUNITY_EDIT_MINUTES = env_int("COMMUNITY_EDIT_MINUTES", 10, minimum=0)
COMMUNITY_THREADS_PER_DAY = env_int("COMMUNITY_THREADS_PER_DAY", 5, minimum=1)
COMMUNITY_POSTS_PER_HOUR = env_int("COMMUNITY_POSTS_PER_HOUR", 30, minimum=1)
COMMUNITY_IMPORT_MAX_BYTES = env_int("COMMUNITY_IMPORT_MAX_MB", 5, minimum=1) * 1024 * 1024
