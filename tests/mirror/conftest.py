"""Fixtures for the webhook tests: a running receiver, an endpoint pointing at it, a way to run
the deliveries a block of changes enqueued, and a stand-in for the DNS."""

import socket

import pytest

from mirror import webhooks
from tests.mirror.webhook_receiver import Receiver


@pytest.fixture
def receiver(settings):
    """The ward's receiver on 127.0.0.1 at a port the OS picks: webhooks may go there only with
    private addresses allowed and that port listed, as for an intranet receiver."""
    with Receiver() as server:
        settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = True
        settings.MIRROR_WEBHOOK_PORTS = [80, 443, server.port]
        yield server


@pytest.fixture
def endpoint(receiver):
    return webhooks.webhook_endpoint_create(url=receiver.url, description="区ホームページ")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (and so the immediate-backend deliveries) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def dns(monkeypatch):
    """A stand-in for the DNS (a remote service): `dns["name"] = [["10.0.0.1"], ["127.0.0.1"]]`
    answers each lookup of the name with the next list (the last one repeats); an empty list is
    "name not found". Other names and IP literals resolve as usual. `dns.lookups` counts lookups."""
    real = socket.getaddrinfo

    class Table(dict):
        lookups: dict[str, int] = {}

    table = Table()

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            return real(host, port, *args, **kwargs)
        table.lookups[host] = table.lookups.get(host, 0) + 1
        answers = table[host]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table
