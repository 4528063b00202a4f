"""Shared fixtures. Personas, and what each may do:

- alice: verified resident of 銀座; owns the listings in most tests.
- bob: another verified resident (月島); may see Alice's public listings, never change them.
- carol: signed up but email not verified; may browse, may not post.
- staff: environment office staff (staff role, TOTP set up); staff_client has passed the second factor.
- visitor: the anonymous `client`.
"""

import os
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from tests.factories import login_staff, make_user


# The suite's clock. No test may depend on the real date: every test starts at this instant (ISO
# 8601 with an offset) and time flows on from it. `.ci/run` runs the suite again at a month's first
# day just after midnight, at the last minute of a year and on 29 February.
TEST_CLOCK = datetime.fromisoformat(os.environ.get("TEST_CLOCK", "2030-06-12T10:00:00+09:00"))


@pytest.fixture(autouse=True)
def clock(request):
    """The fixed, settable clock (time-machine): `clock.move_to(when)` or `clock.shift(delta)`.

    Tests marked `real_clock` drive servers in other processes, which keep the machine's clock."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(TEST_CLOCK, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Each test writes photos to its own directory (or, on S3, the configured test bucket)."""
    if "location" in settings.STORAGES["default"].get("OPTIONS", {}):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "media"}},
        }
        settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture(autouse=True)
def _no_worker_check(settings):
    """No task worker runs beside the test suite: readiness leaves it out (WORKER_HEARTBEAT_MAX_AGE
    0), except in the tests of that check (tests/core/test_health_probes.py), which set it."""
    settings.WORKER_HEARTBEAT_MAX_AGE = 0


@pytest.fixture
def alice(db):
    return make_user(email="alice@example.com", name="ありす", postal_code="1040061")


@pytest.fixture
def bob(db):
    return make_user(email="bob@example.com", name="ぼぶ", postal_code="1040052")


@pytest.fixture
def carol(db):
    return make_user(email="carol@example.com", name="きゃろる", verified=False)


@pytest.fixture
def staff(db):
    return make_user(email="staff@example.com", name="環境推進課", is_staff=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob)


@pytest.fixture
def carol_client(carol):
    return _client_for(carol)


@pytest.fixture
def staff_client(staff):
    client = Client()
    login_staff(client, staff)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits and cooldowns in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def staff2(db):
    """A second staff member: decides on the first one's requests (four eyes)."""
    return make_user(email="staff2@example.com", name="環境推進課2", is_staff=True)
