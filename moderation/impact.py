"""Impact figures for staff and as open data: aggregates only, never personal data or free text.

Per month: listings registered, first published, reserved, handed over, the median days from
first publication to handover, requests per published listing, the share registered for postcard
residents, and the estimated weight kept out of the waste stream (the staff-editable average
weight of each handed-over item's category) with the CO2 that saves (a staff-editable factor).
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Town
from listings.models import Category, Listing
from messaging.models import Conversation, Reservation
from moderation.models import AssistedRegistration, ImpactSettings

HANDED_OVER = Listing.Status.HANDED_OVER


def impact_settings() -> ImpactSettings:
    settings, _created = ImpactSettings.objects.get_or_create(pk=1)
    return settings


@dataclass
class MonthRow:
    month: date
    registered: int = 0
    published: int = 0
    reserved: int = 0
    handed_over: int = 0
    median_days: float | None = None
    requests: int = 0
    assisted: int = 0
    weight_kg: Decimal = Decimal(0)
    co2_kg: Decimal = Decimal(0)

    @property
    def requests_per_listing(self) -> float | None:
        return round(self.requests / self.published, 2) if self.published else None

    @property
    def assisted_share(self) -> float | None:
        return round(100 * self.assisted / self.registered, 1) if self.registered else None


def _months(count: int, today: date) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def _count_per_month(qs, field: str) -> dict[date, int]:
    rows = qs.annotate(m=TruncMonth(field)).values("m").annotate(n=Count("id")).order_by()
    return {_month_key(row["m"]): row["n"] for row in rows if row["m"] is not None}


def monthly(*, months: int = 12, today: date | None = None) -> list[MonthRow]:
    """The last `months` calendar months (local time), oldest first. A fixed number of queries."""
    today = today or timezone.localdate()
    keys = _months(months, today)
    start = timezone.make_aware(datetime.combine(keys[0], time.min))
    factor = impact_settings().co2_per_tonne
    registered = _count_per_month(Listing.objects.filter(created_at__gte=start), "created_at")
    published = _count_per_month(Listing.objects.filter(first_published_at__gte=start), "first_published_at")
    reserved = _count_per_month(Reservation.objects.filter(created_at__gte=start), "created_at")
    requests = _count_per_month(Conversation.objects.filter(created_at__gte=start), "created_at")
    assisted = _count_per_month(AssistedRegistration.objects.filter(created_at__gte=start), "created_at")
    handed = {
        _month_key(row["m"]): row
        for row in Listing.objects.filter(status=HANDED_OVER, status_changed_at__gte=start)
        .annotate(m=TruncMonth("status_changed_at")).values("m")
        .annotate(n=Count("id"), weight=Sum("category__average_weight_kg")).order_by()
    }
    durations: dict[date, list[float]] = {}
    for published_at, handed_at in Listing.objects.filter(
        status=HANDED_OVER, status_changed_at__gte=start, first_published_at__isnull=False
    ).values_list("first_published_at", "status_changed_at"):
        durations.setdefault(_month_key(handed_at), []).append((handed_at - published_at).total_seconds() / 86400)
    rows = []
    for key in keys:
        weight = Decimal(handed.get(key, {}).get("weight") or 0)
        rows.append(MonthRow(
            month=key,
            registered=registered.get(key, 0),
            published=published.get(key, 0),
            reserved=reserved.get(key, 0),
            handed_over=handed.get(key, {}).get("n", 0),
            median_days=round(statistics.median(durations[key]), 1) if durations.get(key) else None,
            requests=requests.get(key, 0),
            assisted=assisted.get(key, 0),
            weight_kg=weight,
            co2_kg=(weight * factor).quantize(Decimal("0.1")),
        ))
    return rows


def _grouped(field: str, *, since: datetime) -> list[dict]:
    factor = impact_settings().co2_per_tonne
    published = {
        row[field]: row["n"]
        for row in Listing.objects.filter(first_published_at__gte=since).values(field).annotate(n=Count("id")).order_by()
    }
    handed = {
        row[field]: row
        for row in Listing.objects.filter(status=HANDED_OVER, status_changed_at__gte=since)
        .values(field).annotate(n=Count("id"), weight=Sum("category__average_weight_kg")).order_by()
    }
    names = _names(field)
    rows = []
    for key, name in names.items():
        weight = Decimal(handed.get(key, {}).get("weight") or 0)
        if not published.get(key) and not handed.get(key):
            continue
        rows.append({
            "name": name, "published": published.get(key, 0), "handed_over": handed.get(key, {}).get("n", 0),
            "weight_kg": weight, "co2_kg": (weight * factor).quantize(Decimal("0.1")),
        })
    return rows


def _names(field: str) -> dict[int, str]:
    if field == "category":
        return {category.pk: category.name for category in Category.objects.all()}
    return {town.pk: town.name for town in Town.objects.all()}


def by_category(*, since: datetime) -> list[dict]:
    """Published and handed-over listings, weight and CO2 per category since `since`."""
    return _grouped("category", since=since)


def by_town(*, since: datetime) -> list[dict]:
    """Published and handed-over listings, weight and CO2 per town since `since`."""
    return _grouped("town", since=since)


def since_for(months: int, today: date | None = None) -> datetime:
    keys = _months(months, today or timezone.localdate())
    return timezone.make_aware(datetime.combine(keys[0], time.min))
