import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditRecord
from listings.lifecycle import Action
from listings.models import Category, Listing
from listings.services import listing_transition
from messaging.services.conversations import conversation_start
from moderation import impact
from tests.factories import make_listing, make_user


def _handed_over(owner, *, days_ago: float, took_days: float, category="furniture"):
    listing = make_listing(owner, category=Category.objects.get(slug=category))
    listing = listing_transition(listing=listing, action=Action.HAND_OVER, actor=owner)
    published = timezone.now() - timedelta(days=days_ago + took_days)
    Listing.objects.filter(pk=listing.pk).update(
        first_published_at=published, created_at=published, status_changed_at=published + timedelta(days=took_days)
    )
    return listing


def _mid_month(clock) -> None:
    """Ten days into the clock's month (JST), so that rows a few days old stay in this month."""
    today = timezone.localdate()
    clock.move_to(timezone.make_aware(datetime(today.year, today.month, 10, 12)))


def test_this_months_figures(alice, bob, clock):
    _mid_month(clock)
    _handed_over(alice, days_ago=0, took_days=2)  # furniture: 15 kg
    _handed_over(alice, days_ago=0, took_days=4, category="books")  # 2 kg
    open_listing = make_listing(alice)
    conversation_start(listing=open_listing, requester=bob, body="ください")
    row = impact.monthly(months=1)[0]
    assert (row.registered, row.published, row.handed_over) == (3, 3, 2)
    assert row.median_days == 3.0
    assert row.weight_kg == Decimal("17.0") and row.co2_kg == Decimal("8.7")  # 17 kg × 0.51
    assert row.requests == 1 and row.requests_per_listing == round(1 / 3, 2)


def test_months_are_counted_in_japan_time_at_the_turn_of_a_month(alice, clock):
    """At 00:30 JST on the 1st (still the previous day in UTC), a handover at 23:50 JST the evening
    before counts in the previous month and one at 00:10 in the new month."""
    today = timezone.localdate()
    first = timezone.make_aware(datetime(today.year, today.month, 1)) + timedelta(days=40)
    first = first.replace(day=1)
    clock.move_to(first + timedelta(minutes=30))
    for minutes in (-10, 10):
        listing = _handed_over(alice, days_ago=0, took_days=1)
        Listing.objects.filter(pk=listing.pk).update(status_changed_at=first + timedelta(minutes=minutes))
    previous, this = impact.monthly(months=2)
    assert (previous.month.day, this.month) == (1, timezone.localdate())
    assert (previous.handed_over, this.handed_over) == (1, 1)


def test_older_handovers_land_in_their_month_and_outside_the_period_they_do_not_count(alice):
    _handed_over(alice, days_ago=400, took_days=1)
    rows = impact.monthly(months=12)
    assert len(rows) == 12 and sum(row.handed_over for row in rows) == 0


def test_the_dashboard_shows_charts_and_tables_in_a_constant_number_of_queries(alice, staff_client):
    _handed_over(alice, days_ago=0, took_days=1)
    staff_client.get(reverse("moderation:impact"))  # the first visit creates the settings row
    with CaptureQueriesContext(connection) as few:
        html = staff_client.get(reverse("moderation:impact")).content.decode()
    assert "<svg" in html and "chart-bar" in html
    for n in range(3):
        _handed_over(make_user(email=f"giver{n}@example.com"), days_ago=40 * n, took_days=2, category="appliances")
    with CaptureQueriesContext(connection) as more:
        staff_client.get(reverse("moderation:impact"))
    assert len(few.captured_queries) == len(more.captured_queries)


def test_staff_edit_the_estimates_and_it_is_audited(alice, staff_client):
    _handed_over(alice, days_ago=0, took_days=1)
    data = {"co2_per_tonne": "1.000"}
    for category in Category.objects.filter(is_active=True):
        data[f"weight_{category.pk}"] = "20" if category.slug == "furniture" else str(category.average_weight_kg)
    assert staff_client.post(reverse("moderation:impact_settings"), data).status_code == 302
    row = impact.monthly(months=1)[0]
    assert (row.weight_kg, row.co2_kg) == (Decimal("20.0"), Decimal("20.0"))
    record = AuditRecord.objects.get(action=AuditRecord.Action.IMPACT_SETTINGS)
    assert record.before["furniture"] == "15.0" and record.after["furniture"] == "20"
    data["co2_per_tonne"] = "-1"
    assert staff_client.post(reverse("moderation:impact_settings"), data).status_code == 200


def test_the_open_data_csv_has_aggregates_only(alice, bob, staff_client):
    _handed_over(alice, days_ago=0, took_days=1)
    response = staff_client.get(reverse("moderation:impact_csv"), {"table": "monthly", "months": 6})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "month" and len(rows) == 7
    assert rows[-1][4] == "1"
    text = response.content.decode("utf-8-sig")
    for personal in ["alice@example.com", "ありす", "本棚"]:  # no names, emails or free text
        assert personal not in text
    for table in ("category", "town"):
        assert staff_client.get(reverse("moderation:impact_csv"), {"table": table}).status_code == 200
    assert staff_client.get(reverse("moderation:impact_csv"), {"table": "people"}).status_code == 404
    assert AuditRecord.objects.filter(action=AuditRecord.Action.IMPACT_EXPORT).count() == 3


def test_a_category_named_like_a_formula_opens_as_text_in_the_open_data_csv(alice, staff_client):
    Category.objects.filter(slug="furniture").update(name_ja="=HYPERLINK(\"http://evil.example\")")
    _handed_over(alice, days_ago=0, took_days=1)
    response = staff_client.get(reverse("moderation:impact_csv"), {"table": "category"})
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert "'=HYPERLINK(\"http://evil.example\")" in names
    assert not any(name.startswith("=") for name in names)


def test_the_period_selector_and_the_month_labels_carry_their_layout_classes(staff_client):
    """The spacing and the unbroken month labels themselves are measured at 1280 px in
    test_impact_layout_browser.py; here, without a browser, that the page marks them."""
    html = staff_client.get(reverse("moderation:impact")).content.decode()
    assert '<form method="get" class="search-form facility-filter impact-period">' in html
    month = timezone.localdate().strftime("%Y-%m")  # this month's row, whatever the clock
    assert f'<th scope="row" class="impact-month">{month}</th>' in html
