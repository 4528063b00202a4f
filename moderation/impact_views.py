"""Staff pages for the impact figures: the dashboard, its estimates, and the open-data CSV."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import staff_required
from core.audit import audit_record
from core.models import AuditRecord
from core.spreadsheet import SpreadsheetWriter
from listings.models import Category
from moderation import impact, services
from moderation.forms import ImpactPeriodForm, ImpactSettingsForm

CHART_HEIGHT = 120
CHART_BAR = 24


def _period(request: HttpRequest) -> int:
    form = ImpactPeriodForm(request.GET or None)
    return (form.cleaned_data.get("months") if form.is_valid() else None) or 12


def _chart(rows: list, field: str) -> dict:
    """Bars for a server-rendered SVG chart: one per month, scaled to the largest value."""
    largest = max((getattr(row, field) for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        value = getattr(row, field)
        height = round(CHART_HEIGHT * float(value) / float(largest))
        bars.append({"x": index * (CHART_BAR + 8), "y": CHART_HEIGHT - height, "height": height, "value": value, "month": row.month})
    return {"bars": bars, "width": len(rows) * (CHART_BAR + 8), "height": CHART_HEIGHT, "bar": CHART_BAR, "largest": largest}


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    months = _period(request)
    rows = impact.monthly(months=months)
    since = impact.since_for(months)
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("registered", "published", "reserved", "handed_over", "requests", "assisted", "weight_kg", "co2_kg")
    }
    totals["assisted_share"] = round(100 * totals["assisted"] / totals["registered"], 1) if totals["registered"] else None
    return render(
        request,
        "moderation/impact.html",
        {
            "months": months, "rows": rows, "totals": totals, "period_form": ImpactPeriodForm(initial={"months": months}),
            "handed_chart": _chart(rows, "handed_over"), "published_chart": _chart(rows, "published"),
            "by_category": impact.by_category(since=since), "by_town": impact.by_town(since=since),
            "settings": impact.impact_settings(),
        },
    )


@staff_required
def settings_page(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.filter(is_active=True))
    form = ImpactSettingsForm(request.POST or None, categories=categories, initial={"co2_per_tonne": impact.impact_settings().co2_per_tonne})
    if request.method == "POST" and form.is_valid():
        try:
            services.impact_settings_update(actor=request.user, co2_per_tonne=form.cleaned_data["co2_per_tonne"], weights=form.weights())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The estimates are saved."))
            return redirect("moderation:impact")
    return render(request, "moderation/impact_settings.html", {"form": form})


@staff_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """Open data: the same aggregates as the dashboard. No personal data, no free text."""
    table = request.GET.get("table", "monthly")
    months = _period(request)
    since = impact.since_for(months)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = SpreadsheetWriter(response)
    if table == "monthly":
        writer.writerow(["month", "registered", "published", "reserved", "handed_over", "median_days_to_handover",
                         "requests", "requests_per_published_listing", "assisted_registrations", "assisted_share_percent",
                         "estimated_weight_kg", "estimated_co2_kg"])
        for row in impact.monthly(months=months):
            writer.writerow([row.month.strftime("%Y-%m"), row.registered, row.published, row.reserved, row.handed_over,
                             "" if row.median_days is None else row.median_days, row.requests,
                             "" if row.requests_per_listing is None else row.requests_per_listing, row.assisted,
                             "" if row.assisted_share is None else row.assisted_share, row.weight_kg, row.co2_kg])
    elif table in ("category", "town"):
        rows = impact.by_category(since=since) if table == "category" else impact.by_town(since=since)
        writer.writerow([table, "published", "handed_over", "estimated_weight_kg", "estimated_co2_kg"])
        for row in rows:
            writer.writerow([row["name"], row["published"], row["handed_over"], row["weight_kg"], row["co2_kg"]])
    else:
        raise Http404
    audit_record(actor=request.user, action=AuditRecord.Action.IMPACT_EXPORT, after={"table": table, "months": months})
    response["Content-Disposition"] = f'attachment; filename="mottainai-impact-{table}-{timezone.localdate():%Y%m%d}.csv"'
    return response
