"""Reads: a resident's notification settings with their defaults, and where a notice may go."""

import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from notifications.models import Channel, Event, LineLink, Preference, PushSubscription

# Where each event goes for a resident who changed nothing: every channel they turned on (a push
# subscription, a LINE link), and email for what the site emailed before there were other
# channels; requests, pickup times and lottery results reach email as unread messages.
DEFAULT_CHANNELS: dict[str, list[str]] = {
    Event.MESSAGE: [Channel.EMAIL, Channel.LINE, Channel.PUSH],
    Event.REQUEST: [Channel.LINE, Channel.PUSH],
    Event.RESERVED: [Channel.EMAIL, Channel.LINE, Channel.PUSH],
    Event.PICKUP: [Channel.LINE, Channel.PUSH],
    Event.REMINDER: [Channel.EMAIL, Channel.LINE, Channel.PUSH],
    Event.LOTTERY: [Channel.LINE, Channel.PUSH],
    Event.ALERT: [Channel.EMAIL, Channel.LINE, Channel.PUSH],
    Event.DECISION: [Channel.EMAIL, Channel.LINE, Channel.PUSH],
}
# The email switches of the profile page that came first: the same setting, kept on the account.
EMAIL_FLAGS = {Event.MESSAGE: "notify_messages", Event.DECISION: "notify_listings"}


def preference_for(user: User) -> Preference:
    """The resident's settings, or the defaults (unsaved) when they never changed them."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def chosen_channels(user: User, event: str, preference: Preference | None = None) -> set[str]:
    """The channels the resident wants `event` on (whether they work for them or not)."""
    preference = preference or preference_for(user)
    chosen = set(preference.channels.get(event, DEFAULT_CHANNELS[event]))
    flag = EMAIL_FLAGS.get(event)
    if flag:
        chosen.discard(Channel.EMAIL)
        if getattr(user, flag):
            chosen.add(Channel.EMAIL)
    return chosen


def push_configured() -> bool:
    return bool(settings.NOTICES["VAPID_PUBLIC_KEY"])


def line_configured() -> bool:
    return bool(settings.LINE_MESSAGING_CHANNEL_TOKEN and settings.LINE_MESSAGING_CHANNEL_SECRET)


def available_channels(user: User) -> set[str]:
    """The channels that can reach this resident now: email when they have an address, push when
    a device subscribed, LINE when their account is linked."""
    channels = {Channel.EMAIL} if user.email else set()
    if push_configured() and PushSubscription.objects.filter(user=user).exists():
        channels.add(Channel.PUSH)
    if line_configured() and LineLink.objects.filter(user=user).exists():
        channels.add(Channel.LINE)
    return channels


def quiet_until(preference: Preference, now: datetime.datetime) -> datetime.datetime | None:
    """When the resident's quiet hours end, if `now` lies in them (in the municipality's time
    zone, TIME_ZONE), else None. Quiet hours may run over midnight (22:00-7:00)."""
    if not preference.quiet_enabled or preference.quiet_start == preference.quiet_end:
        return None
    local = timezone.localtime(now)
    start, end, time = preference.quiet_start, preference.quiet_end, local.time()
    overnight = start > end
    quiet = (time >= start or time < end) if overnight else (start <= time < end)
    if not quiet:
        return None
    day = local.date() + datetime.timedelta(days=1) if overnight and time >= start else local.date()
    return datetime.datetime.combine(day, end, tzinfo=local.tzinfo)
