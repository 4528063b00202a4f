"""Staff pages for reports, warnings and suspensions, and the residents' page of their own reports."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from accounts.models import User
from listings.models import Listing
from core.forms import flash_errors
from messaging.models import MessageReport
from messaging.selectors import no_show_count
from moderation import reports, services
from moderation.forms import (
    ReasonForm,
)
from moderation.models import AccountWarning, Suspension
from moderation.report_kinds import ReportItem

REPORT_ACTIONS = ("dismiss", "hide", "warn", "suspend")


@staff_required
def report_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/report_queue.html", {"items": reports.open_report_items(), "now": timezone.now()})


@staff_required
def report_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = reports.report_item(kind, pk)
    return render(request, "moderation/report_detail.html", {"item": item, "form": ReasonForm(), "actions": _actions_for(item)})


def _actions_for(item: ReportItem) -> list[str]:
    actions = ["dismiss"]
    if item.kind.can_hide(item.target):
        actions.append("hide")
    if item.author is not None:
        actions.append("warn")  # not for a board post whose author deleted their account (detached)
    if item.author_known:
        actions.append("suspend")  # a board author stays anonymous: suspension needs the reveal first
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
        flash_errors(request, exc)
        return redirect("moderation:report_detail", kind=kind, pk=pk)
    messages.success(request, _("Done. The reporters see that their report was handled."))
    return redirect("moderation:report_queue")


@staff_required
def reported_conversation(request: HttpRequest, report_pk: int) -> HttpResponse:
    """A reported message in its conversation: staff see a conversation only this way, audited."""
    report = get_object_or_404(MessageReport.objects.select_related("message__conversation__listing__owner", "message__conversation__requester"), pk=report_pk)
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
            # Warnings about anonymous board posts stay off this page: their text and time would
            # tell any staff member which account wrote the post.
            "warnings": list(AccountWarning.objects.filter(user=person, from_board=False).select_related("created_by")),
            "suspensions": list(Suspension.objects.filter(user=person).select_related("created_by", "lifted_by")),
            "listings": Listing.objects.filter(owner=person).count(),
            "no_shows": no_show_count(person),  # reservations the person did not come for
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
        flash_errors(request, exc)
    return redirect("moderation:account", pk=pk)


@staff_required
@require_POST
def listing_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.listing_unhide(listing=listing, actor=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else "")
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The listing is shown again."))
    return redirect(listing)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """What became of the resident's reports (対応しました)."""
    return render(request, "moderation/my_reports.html", {"reports": reports.reports_by(request.user)})



