"""The staff console: home with what waits, the listing review queue, rules and the audit log."""

import csv

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

from django.contrib.auth.decorators import login_required

from accounts.decorators import staff_required
from accounts.models import User
from community import selectors as board
from community.models import RevealRequest
from listings.models import Listing, ListingRules
from listings.rules import rules_current
from messaging.models import MessageReport
from moderation import reports, selectors, services
from moderation.audit import audit_record
from moderation.forms import AuditFilterForm, ListingRulesForm, PrintFilterForm, ReasonForm, ReasonTemplateForm, RejectForm
from moderation.models import AccountWarning, AuditRecord, ReasonTemplate, Suspension

AUDIT_PAGE_SIZE = 50


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/home.html",
        {
            "held_posts": board.held_posts().count(),
            "reported_posts": board.reported_posts().count(),
            "pending_reveals": board.reveal_requests(status=RevealRequest.Status.PENDING).count(),
            "pending_listings": selectors.pending_listings_count(),
            "open_reports": reports.open_reports_count(),
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
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # a BOM, so that Excel opens the UTF-8 file with Japanese text correctly
        yield writer.writerow(["id", "when", "staff_id", "staff", "action", "object_type", "object_id", "object", "reason", "before", "after"])
        for record in qs.iterator(chunk_size=2000):
            yield writer.writerow([
                record.pk, timezone.localtime(record.created_at).isoformat(), record.actor_id, record.actor.email,
                record.action, record.target_type, record.target_id, record.target_repr, record.reason,
                "" if record.before is None else record.before, "" if record.after is None else record.after,
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


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@staff_required
@require_POST
def listing_approve(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("owner"), pk=pk)
    try:
        services.listing_approve(listing=listing, actor=request.user)
    except ValidationError as exc:
        _flash_errors(request, exc)
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
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("“%(title)s” is rejected; the resident is told why.") % {"title": listing.title})
            return redirect("moderation:listing_queue")
    templates = list(ReasonTemplate.objects.all())
    return render(request, "moderation/listing_reject.html", {"form": form, "listing": listing, "templates": templates})


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    form = ListingRulesForm(request.POST or None, instance=rules_current_row())
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_rules_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
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
@require_POST
def reason_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.reason_template_remove(actor=request.user, template=get_object_or_404(ReasonTemplate, pk=pk))
    messages.success(request, _("The template was removed."))
    return redirect("moderation:reason_templates")


def rules_current_row() -> ListingRules:
    rules_current()  # creates the row from the settings the first time
    return ListingRules.objects.get(pk=1)


# --- reports, accounts ----------------------------------------------------------------------------

REPORT_ACTIONS = ("dismiss", "hide", "warn", "suspend")


@staff_required
def report_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/report_queue.html", {"items": reports.open_report_items(), "now": timezone.now()})


@staff_required
def report_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = reports.report_item(kind, pk)
    context = {"item": item, "form": ReasonForm(), "actions": _actions_for(item)}
    if kind == "post":
        context["thread_url"] = item.target.get_absolute_url()
    return render(request, "moderation/report_detail.html", context)


def _actions_for(item: reports.ReportItem) -> list[str]:
    actions = ["dismiss", "hide", "warn"]
    if item.author_known:
        actions.append("suspend")  # a board author stays anonymous: suspension needs the reveal first
    if item.kind == "listing" and item.target.status not in (Listing.Status.PUBLISHED, Listing.Status.RESERVED):
        actions.remove("hide")
    if item.kind == "message" and item.target.hidden_by_staff:
        actions.remove("hide")
    if item.kind == "post" and item.target.status not in ("published", "held"):
        actions.remove("hide")
    return actions


@staff_required
@require_POST
def report_act(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    item = reports.report_item(kind, pk)
    if action not in _actions_for(item):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "dismiss":
            services.reports_dismiss(item=item, actor=request.user, reason=reason)
        elif action == "hide":
            services.reported_hide(item=item, actor=request.user, reason=reason)
        elif action == "warn":
            services.account_warn(user=item.author, actor=request.user, reason=reason, item=item)
        else:
            services.account_suspend(user=item.author, actor=request.user, reason=reason, item=item)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("moderation:report_detail", kind=kind, pk=pk)
    messages.success(request, _("Done. The reporters see that their report was handled."))
    return redirect("moderation:report_queue")


@staff_required
def reported_conversation(request: HttpRequest, report_pk: int) -> HttpResponse:
    """A reported message in its conversation: staff see a conversation only this way, audited."""
    report = get_object_or_404(MessageReport.objects.select_related("message__conversation__listing", "message__conversation__requester"), pk=report_pk)
    conversation = report.message.conversation
    services.conversation_view_for_report(report=report, actor=request.user)
    thread = list(conversation.messages.select_related("sender").order_by("id"))
    response = render(request, "moderation/reported_conversation.html", {"report": report, "conversation": conversation, "thread": thread})
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def account(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("town"), pk=pk)
    return render(
        request,
        "moderation/account.html",
        {
            "person": person,
            "form": ReasonForm(),
            "warnings": list(AccountWarning.objects.filter(user=person).select_related("created_by")),
            "suspensions": list(Suspension.objects.filter(user=person).select_related("created_by", "lifted_by")),
            "listings": Listing.objects.filter(owner=person).count(),
        },
    )


@staff_required
@require_POST
def account_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "suspend":
            services.account_suspend(user=person, actor=request.user, reason=reason)
            messages.success(request, _("The account is suspended."))
        elif action == "restore":
            services.account_restore(user=person, actor=request.user, reason=reason)
            messages.success(request, _("The account is restored."))
        else:
            services.account_warn(user=person, actor=request.user, reason=reason)
            messages.success(request, _("The warning was sent."))
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("moderation:account", pk=pk)


@staff_required
@require_POST
def listing_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.listing_unhide(listing=listing, actor=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else "")
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The listing is shown again."))
    return redirect(listing)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """What became of the resident's reports (対応しました)."""
    return render(request, "moderation/my_reports.html", {"reports": reports.reports_by(request.user)})


@staff_required
def print_board(request: HttpRequest) -> HttpResponse:
    """An A4 page of current listings for the recycle house's notice board, each with a QR code
    that opens the listing on a phone (print it from the browser; the print stylesheet lays it out)."""
    form = PrintFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    listings = selectors.listings_for_print(category=data.get("category"), since=data.get("since"), until=data.get("until"))
    for listing in listings:
        url = settings.SITE_URL + listing.get_absolute_url()
        listing.qr_svg = mark_safe(segno.make(url, error="m").svg_inline(scale=2))  # segno's own markup, no user text
    return render(request, "moderation/print.html", {"form": form, "listings": listings, "printed_at": timezone.localtime()})
