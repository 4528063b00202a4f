"""Error reports to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set.

Nothing personal leaves the site: sentry-sdk is told not to send personal data, and `before_send`
drops what it would still attach: the request's cookies, headers, body and query string, the user,
and the local variables of each stack frame (a form's cleaned data, a message being sent).
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from config.env import env_float, env_secret
from core.version import VERSION

REQUEST_KEPT = ("method", "url")  # the URL without its query string


def before_send(event: dict, hint: dict | None = None) -> dict:
    """Scrub one event in place and return it (a pure function, tested as such)."""
    request = event.get("request")
    if isinstance(request, dict):
        url = request.get("url")
        event["request"] = {key: request[key] for key in REQUEST_KEPT if key in request}
        if isinstance(url, str):
            event["request"]["url"] = url.split("?", 1)[0]
    event.pop("user", None)
    event.pop("server_name", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
        breadcrumb.pop("data", None)
    return event


def sentry_init(*, enabled: bool = True) -> tuple[str, float]:
    """Start sentry-sdk when SENTRY_DSN is set (and `enabled`: not in tests); returns the DSN and
    SENTRY_TRACES_SAMPLE_RATE for the settings. The environment comes from SENTRY_ENVIRONMENT
    (sentry-sdk's own variable, "production" when unset), the release is the site's VERSION.
    Performance traces are off unless SENTRY_TRACES_SAMPLE_RATE is above 0."""
    dsn, traces_sample_rate = env_secret("SENTRY_DSN"), env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
    if not dsn or not enabled:
        return dsn, traces_sample_rate
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        release=VERSION,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,
        before_send_transaction=before_send,
    )
    return dsn, traces_sample_rate
