"""Dates as residents read them: 「12月5日(土) 15:00」 in Japanese, "Sat 5 Dec, 15:00" in English, in
local time, with the year only when it is not the current one (「2027年3月3日(水)」, "Wed 3 Mar 2027").
Explicit formats, not the machine's locale. Templates use `|when` and `|day` (core/templatetags/dates.py);
machine formats (API, feeds, webhooks, CSV) keep ISO 8601."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _japanese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("ja")


def _local(value: datetime | date | str) -> datetime | date | None:
    """An aware datetime in local time; a naive one or a date as it is; a stored "YYYY-MM-DD HH:MM"
    (local time, as older conversation events keep it) parsed; anything else None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value if isinstance(value, date) else None


def _day(value: date) -> str:
    other_year = value.year != timezone.localdate().year
    if _japanese():
        year = f"{value.year}年" if other_year else ""
        return f"{year}{value.month}月{value.day}日({_WEEKDAYS_JA[value.weekday()]})"
    year = f" {value.year}" if other_year else ""
    return f"{_WEEKDAYS_EN[value.weekday()]} {value.day} {_MONTHS_EN[value.month - 1]}{year}"


def format_day(value: datetime | date | str | None) -> str:
    """「3月3日(水)」 / "Wed 3 Mar"; a value that is no date comes back as it was ("" for None)."""
    local = _local(value) if value is not None else None
    if local is None:
        return "" if value is None else str(value)
    return _day(local.date() if isinstance(local, datetime) else local)


def format_when(value: datetime | str | None) -> str:
    """「12月5日(土) 15:00」 / "Sat 5 Dec, 15:00"; a date alone reads as format_day."""
    local = _local(value) if value is not None else None
    if not isinstance(local, datetime):
        return format_day(value)
    separator = " " if _japanese() else ", "
    return f"{_day(local.date())}{separator}{local:%H:%M}"


def format_waiting(value: datetime, now: datetime | None = None) -> str:
    """「3時間前から確認待ち」 / "waiting 3 hours"; under a minute 「たった今から確認待ち」, never
    "0 minutes"."""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return gettext("waiting since just now")
    return gettext("waiting %(since)s") % {"since": timesince(value, now)}
