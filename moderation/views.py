"""The staff console: home with what waits, and the audit log."""

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.decorators import staff_required
from community import selectors as board
from community.models import RevealRequest
from moderation import selectors
from moderation.audit import audit_record
from moderation.forms import AuditFilterForm
from moderation.models import AuditRecord

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
