"""Saved-search alerts on LINE: a Messaging API stand-in (tests/stand_in.py) for the ward's LINE
Official Account, and residents linked to it who chose how alerts reach them."""

import pytest
from django.utils import timezone

from notifications.models import Event, LineLink, Preference
from tests.stand_in import StandIn

TOKEN = "test-channel-access-token"
# What LINE answers an accepted push (the SDK reads it).
PUSH_ANSWER = b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}'


@pytest.fixture
def line_api(settings, clock):
    """The ward has a LINE Official Account, served by the stand-in. It is noon: .ci/run also runs
    the suite at 00:30 and 23:59, inside the default quiet hours that hold LINE notices."""
    if clock is not None:
        clock.move_to(timezone.localtime().replace(hour=12, minute=0))
    with StandIn(answer=PUSH_ANSWER, content_type="application/json") as stand_in:
        settings.LINE_MESSAGING_API_URL = stand_in.url
        settings.LINE_MESSAGING_CHANNEL_TOKEN = TOKEN
        settings.LINE_MESSAGING_CHANNEL_SECRET = "test-channel-secret"
        yield stand_in


def on_line(user, *, channels=("line",), cap: int | None = None) -> str:
    """Link `user` to the ward's LINE account and have saved-search alerts reach them on
    `channels` (their notification settings); returns their LINE user id."""
    uid = "U" + f"{user.pk:032x}"
    LineLink.objects.create(user=user, line_user_id=uid)
    preference = Preference(user=user, channels={Event.ALERT: list(channels)})
    if cap is not None:
        preference.alerts_daily_cap = cap
    preference.save()
    return uid
