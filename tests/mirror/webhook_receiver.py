"""A real webhook receiver for the tests (an HTTP server on 127.0.0.1), and the verification
recipe of docs/WEBHOOKS.md run as written."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings as django_settings
from django.utils import timezone

from mirror.models import WebhookDelivery
from tests.stand_in import StandIn


class Receiver(StandIn):
    """A ward's webhook receiver at /hooks/mottainai (answers "ok")."""

    def __init__(self) -> None:
        super().__init__()
        self.url += "/hooks/mottainai"

    def events(self) -> list[dict]:
        return [request.json() for request in self.received]


def _documented_verifier():
    """The Python verification example of docs/WEBHOOKS.md, run as written: the tests check
    every signature with it, so the ward's recipe cannot drift from what we send."""
    text = (Path(django_settings.BASE_DIR) / "docs" / "WEBHOOKS.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify_mottainai_signature"]


_verify = _documented_verifier()


def verify(*, header: str, body: bytes, secret: str) -> bool:
    return _verify(header, body, secret)


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
