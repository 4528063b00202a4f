"""`{{ value|when }}` (date and time) and `{{ value|day }}` (date): dates as residents read them,
「12月5日(土) 15:00」 / "Sat 5 Dec, 15:00" (core/dates.py); `{{ since|waiting:now }}` for a queue's
「3時間前から確認待ち」. Load with `{% load dates %}`."""

from django import template

from core.dates import format_day, format_waiting, format_when

register = template.Library()
register.filter("when", format_when)
register.filter("day", format_day)
register.filter("waiting", format_waiting)
