"""The staff console: home with what waits, the listing review queue, rules and the audit log."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from community import selectors as board
from community.models import RevealRequest
from core.audit import audit_record
from core.forms import add_errors, flash_errors
from core.models import AuditRecord
from core.spreadsheet import SpreadsheetWriter
from listings.models import Category, Listing
from listings.rules import rules_row
from moderation import assisted, reports, selectors, services
from moderation.audit import audit_details, audit_json, audit_target
from moderation.forms import (
    CategoryForm,
    AuditFilterForm,
    ListingRulesForm,
    PrintFilterForm,
    ReasonTemplateForm,
    RejectForm,
)
from moderation.models import ReasonTemplate

AUDIT_PAGE_SIZE = 50
PRINT_PAGE_SIZE = 60  # cards per print run (about five A4 sheets)


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    failed_count, failed_recent = selectors.failed_notices()
    return render(
        request,
        "moderation/home.html",
        {
            "held_posts": board.held_posts().count(),
            "reported_posts": board.reported_posts().count(),
            "pending_reveals": board.reveal_requests(status=RevealRequest.Status.PENDING).count(),
            "pending_listings": selectors.pending_listings_count(),
            "open_reports": reports.open_reports_count(),
            "unread_assisted": assisted.unread_requests_count(),
            "failed_count": failed_count,
            "failed_recent": failed_recent,
            "failed_days": selectors.FAILED_NOTICE_DAYS,
        },
    )


def _filtered_log(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    actor = data.get("actor")
    qs = selectors.audit_log(
        action=data.get("action") or "", actor_id=actor.pk if actor else None, target=data.get("target") or "",
        since=data.get("since"), until=data.get("until"),
    )
    return form, qs


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered_log(request)
    page = Paginator(qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for record in page.object_list:
        record.target_label, record.target_url = audit_target(record.target_type, record.target_id)
        record.before_items = audit_details(record.before, record.target_type)
        record.after_items = audit_details(record.after, record.target_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value: str) -> str:
        return value


@staff_required
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered audit log as CSV; superusers only, and the export is itself audited."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form, qs = _filtered_log(request)
    audit_record(actor=request.user, action=AuditRecord.Action.AUDIT_EXPORT, reason=request.GET.urlencode()[:1000])
    writer = SpreadsheetWriter(_Echo())

    def rows():
        yield "\ufeff"  # a BOM, so that Excel opens the UTF-8 file with Japanese text correctly
        yield writer.writerow(["id", "when", "staff_id", "staff", "action", "object_type", "object_id", "object", "reason", "before", "after"])
        for record in qs.iterator(chunk_size=2000):
            yield writer.writerow([
                record.pk, timezone.localtime(record.created_at).isoformat(), record.actor_id, record.actor.email,
                record.action, record.target_type, record.target_id, record.target_repr, record.reason,
                audit_json(record.before), audit_json(record.after),
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y%m%d}.csv"'
    return response


@staff_required
def listing_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/listing_queue.html",
        {"listings": selectors.pending_listings(), "total": selectors.pending_listings_count(), "now": timezone.now()},
    )


@staff_required
@require_POST
def listing_approve(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("owner"), pk=pk)
    try:
        services.listing_approve(listing=listing, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": listing.title})
    return redirect("moderation:listing_queue")


@staff_required
@require_POST
def listing_approve_bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("listing") if value.isdigit()][:200]
    count = services.listings_approve_bulk(listing_ids=ids, actor=request.user)
    messages.success(request, ngettext("%(count)s listing published.", "%(count)s listings published.", count) % {"count": count})
    return redirect("moderation:listing_queue")


@staff_required
def listing_reject(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("owner", "category", "town"), pk=pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_reject(listing=listing, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("“%(title)s” is rejected; the resident is told why.") % {"title": listing.title})
            return redirect("moderation:listing_queue")
    templates = list(ReasonTemplate.objects.all())
    return render(request, "moderation/listing_reject.html", {"form": form, "listing": listing, "templates": templates})


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    form = ListingRulesForm(request.POST or None, instance=rules_row())
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_rules_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The rules are saved and apply at once."))
            return redirect("moderation:rules")
    return render(request, "moderation/rules.html", {"form": form})


@staff_required
def reason_templates(request: HttpRequest) -> HttpResponse:
    form = ReasonTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reason_template_add(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The template was added."))
        return redirect("moderation:reason_templates")
    return render(request, "moderation/reason_templates.html", {"form": form, "templates": list(ReasonTemplate.objects.all())})


@staff_required
def reason_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ReasonTemplate, pk=pk)
    form = ReasonTemplateForm(request.POST or None, initial={"title": template.title, "text": template.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_template_update(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("moderation:reason_templates")
    return render(
        request, "moderation/reason_templates.html",
        {"form": form, "editing": template, "templates": list(ReasonTemplate.objects.all())},
    )


@staff_required
@require_POST
def reason_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.reason_template_remove(actor=request.user, template=get_object_or_404(ReasonTemplate, pk=pk))
    messages.success(request, _("The template was removed."))
    return redirect("moderation:reason_templates")




@staff_required
def print_board(request: HttpRequest) -> HttpResponse:
    """An A4 page of current listings for the recycle house's notice board, each with a QR code
    that opens the listing on a phone (print it from the browser; the print stylesheet lays it out)."""
    form = PrintFilterForm(request.GET or None, initial={"kind": Listing.Kind.OFFER})
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or Listing.Kind.OFFER  # what the board is for: items given away
    qs = selectors.listings_for_print(kind=kind, category=data.get("category"), since=data.get("since"), until=data.get("until"))
    page = Paginator(qs, PRINT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for listing in page.object_list:
        url = settings.SITE_URL + listing.get_absolute_url()
        listing.qr_svg = mark_safe(segno.make(url, error="m").svg_inline(scale=2))  # segno's own markup, no user text
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/print.html",
        {"form": form, "page": page, "listings": page.object_list, "kind": kind, "query": query.urlencode(), "printed_at": timezone.localtime()},
    )


@staff_required
def categories(request: HttpRequest) -> HttpResponse:
    """The category list, and a form to add one or (with ?edit=<id>) change one."""
    editing = Category.objects.filter(pk=request.GET.get("edit")).first() if str(request.GET.get("edit", "")).isdigit() else None
    form = CategoryForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                # a fresh row: the form's validation has already written the new values into `editing`
                actor=request.user, category=Category.objects.get(pk=editing.pk) if editing else None, name_ja=form.cleaned_data["name_ja"], name_en=form.cleaned_data["name_en"],
                slug=form.cleaned_data.get("slug") or (editing.slug if editing else ""), position=form.cleaned_data["position"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("moderation:categories")
    return render(request, "moderation/categories.html", {"form": form, "editing": editing, "categories": list(Category.objects.all())})
