import pytest
from django.utils import timezone

from tests.stand_in import StandIn


@pytest.fixture(autouse=True)
def _daytime(clock):
    """Push and LINE go at once in the daytime. .ci/run also runs the suite with the clock at
    00:30 and 23:59, inside the default quiet hours (22:00-7:00), which hold them: these tests
    start at noon of the clock's day, and test_push's quiet-hours test moves into the night."""
    if clock is not None:
        clock.move_to(timezone.localtime().replace(hour=12, minute=0))


@pytest.fixture
def push_service(settings):
    """A push service on 127.0.0.1 (tests/stand_in.py), which the site may post to here."""
    settings.NOTICES = {**settings.NOTICES, "PUSH_HOSTS": ["127.0.0.1"]}
    with StandIn() as stand_in:
        yield stand_in
