"""A real webhook receiver for the tests (an HTTP server on 127.0.0.1); deliveries are verified
with the standardwebhooks package, as a ward's receiver does, and with the recipes of
docs/WEBHOOKS.md run as written."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings as django_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from mirror.models import WebhookDelivery
from tests.stand_in import Received, StandIn


class Receiver(StandIn):
    """A ward's webhook receiver at /hooks/mottainai (answers "ok")."""

    def __init__(self) -> None:
        super().__init__()
        self.port = self.server.server_address[1]
        self.url += "/hooks/mottainai"

    def events(self) -> list[dict]:
        return [request.json() for request in self.received]


def verify(request: Received, *, secret: str, body: bytes | None = None) -> bool:
    """Whether the standardwebhooks package accepts the request (optionally with another body)."""
    try:
        Webhook(secret).verify(request.body if body is None else body, request.headers)
    except WebhookVerificationError:
        return False
    return True


def documented_verifier():
    """The Python receiver of docs/WEBHOOKS.md, run as written, so that the ward's recipe cannot
    drift from what we send."""
    text = (Path(django_settings.BASE_DIR) / "docs" / "WEBHOOKS.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify_mottainai_webhook"]


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
