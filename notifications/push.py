"""Web Push: one notice to every device a resident subscribed, encrypted (aes128gcm) and signed
with the site's VAPID key (pywebpush). Subscriptions the push service says are gone (404, 410,
other refusals) are deleted; 408, 429, 5xx and network errors are tried again with backoff.

A subscription's endpoint is an address the resident's browser gave us: the site posts only to
the push services of PUSH_HOSTS, over HTTPS, and never follows a redirect.
"""

import enum
import json
import logging
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.models import Event, PushSubscription

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
OFF_SALT = "notifications.push-off"
TRANSIENT = {408, 429}  # and every 5xx


class Result(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    RETRY = "retry"


def backoff(attempt: int) -> timedelta:
    """After the `attempt`-th failure: 1, 4, 16, 64 minutes."""
    return timedelta(minutes=4 ** (attempt - 1))


def endpoint_allowed(endpoint: str) -> bool:
    """Is this a push service's address we may post to (HTTPS on a host of PUSH_HOSTS; plain HTTP
    only for a loopback host listed there, the stand-in of the tests)?"""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    if parts.username or parts.password or not host:
        return False
    listed = any(host == allowed or host.endswith("." + allowed) for allowed in settings.NOTICES["PUSH_HOSTS"])
    loopback = host in ("127.0.0.1", "localhost", "::1")
    return listed and (parts.scheme == "https" or (parts.scheme == "http" and loopback))


def off_token(subscription: PushSubscription) -> str:
    return signing.dumps(subscription.pk, salt=OFF_SALT)


def off_subscription(token: str) -> PushSubscription | None:
    try:
        pk = signing.loads(token, salt=OFF_SALT)
    except signing.BadSignature:
        return None
    return PushSubscription.objects.filter(pk=pk).first()


def payload_json(payload: dict, subscription: PushSubscription) -> str:
    """What the service worker shows (static/js/sw contract): title, body, the page to open, a tag
    that replaces an older notice about the same thing, and the link that turns push off."""
    return json.dumps({
        "title": payload["title"],
        "body": payload["body"],
        "url": payload["path"],
        "tag": payload["key"].rsplit(":", 1)[0] if payload["event"] == Event.MESSAGE else payload["key"],
        "off_url": reverse("notifications:push_off", args=[off_token(subscription)]),
        "off_label": _("Turn off notifications on this device"),
        "lang": settings.LANGUAGE_CODE,
    }, ensure_ascii=False)


def _session() -> requests.Session:
    session = requests.Session()
    session.max_redirects = 0  # a push service answers; it never sends us elsewhere
    return session


def _send_one(subscription: PushSubscription, payload: dict) -> Result:
    if not endpoint_allowed(subscription.endpoint):
        subscription.delete()
        return Result.FAILED
    urgency = "high" if payload["event"] == Event.REMINDER else "normal"
    try:
        webpush(
            subscription_info={"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=payload_json(payload, subscription),
            vapid_private_key=Vapid.from_pem(settings.NOTICES["VAPID_PRIVATE_KEY"].encode()),
            vapid_claims={"sub": settings.NOTICES["VAPID_SUBJECT"]},
            ttl=settings.NOTICES["PUSH_TTL_SECONDS"],
            headers={"Urgency": urgency},
            timeout=TIMEOUT_SECONDS,
            requests_session=_session(),
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status is None or status in TRANSIENT or status >= 500:
            logger.warning("Push service busy or failing", extra={"status": status})
            return Result.RETRY
        logger.info("Push subscription refused; removed", extra={"status": status})
        subscription.delete()
        return Result.FAILED
    except (requests.RequestException, ValueError) as error:
        logger.warning("Push service unreachable", extra={"error": type(error).__name__})
        return Result.RETRY
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    return Result.SENT


def push_send(*, user, payload: dict, attempt: int = 1) -> Result:
    """Push to every device of the resident: SENT when one took it, RETRY when none did but one
    may later (and attempts remain), else FAILED (no device, all gone or refusing)."""
    results = {_send_one(subscription, payload) for subscription in PushSubscription.objects.filter(user=user)}
    if Result.SENT in results:
        return Result.SENT
    if Result.RETRY in results and attempt < settings.NOTICES["PUSH_ATTEMPTS"]:
        return Result.RETRY
    return Result.FAILED
