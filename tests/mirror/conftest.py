"""Fixtures for the webhook tests: a running receiver, an endpoint pointing at it, and a way to
run the deliveries a block of changes enqueued."""

import pytest

from mirror import webhooks
from tests.mirror.webhook_receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def endpoint(receiver):
    return webhooks.webhook_endpoint_create(url=receiver.url, description="区ホームページ")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (and so the immediate-backend deliveries) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
