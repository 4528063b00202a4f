"""The kinds of reported objects (one table) and the reports queue over them (reads).

Each app keeps its own report model on the shared base core.reports.Report
(listings.ListingReport, messaging.MessageReport, community.PostReport); `KINDS` says for each
kind which model, which foreign key, what staff read, where they look and how they hide it. The
queue groups the open reports by the reported object, oldest first, and lists a resident's own
reports. Nothing here branches on a kind: a new kind is a new row.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from community.models import Post, PostReport
from listings.models import Listing, ListingReport
from messaging.models import MessageReport
from moderation import services
from moderation.report_kinds import ReportItem, ReportKind


def _conversation_url(item: ReportItem) -> str:
    """Staff read a conversation only through a report of one of its messages (audited)."""
    return reverse("moderation:reported_conversation", args=[item.reports[0].pk]) if item.reports else ""


KINDS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in [
        ReportKind(
            name="listing", label=_("Listing"), model=ListingReport, target_field="listing",
            target_related=("owner", "town"), author_field="owner", author_known=True, subject_path="title",
            can_hide=lambda listing: listing.status in (Listing.Status.PUBLISHED, Listing.Status.RESERVED),
            hide=services.listing_hide, url=lambda item: item.target.get_absolute_url(),
        ),
        ReportKind(
            name="message", label=_("Message"), model=MessageReport, target_field="message",
            target_related=("sender", "conversation__listing"), author_field="sender", author_known=True,
            subject_path="conversation__listing__title",
            can_hide=lambda message: not message.hidden_by_staff,
            hide=services.message_hide, url=_conversation_url,
        ),
        ReportKind(
            name="post", label=_("Board post"), model=PostReport, target_field="post",
            target_related=("thread", "author"), author_field="author", author_known=False, subject_path="thread__title",
            can_hide=lambda post: post.status in (Post.Status.PUBLISHED, Post.Status.HELD),
            hide=services.post_hide, url=lambda item: item.target.get_absolute_url(),
        ),
    ]
}


def open_report_items(*, limit: int = 100) -> list[ReportItem]:
    """Every reported object with open reports, the longest-waiting first. One query per kind."""
    items: dict = {}
    for kind in KINDS.values():
        related = [f"{kind.target_field}__{path}" for path in kind.target_related]
        for report in kind.model.objects.open().select_related(*related).order_by("created_at")[:limit]:
            target = getattr(report, kind.target_field)
            items.setdefault((kind.name, target.pk), ReportItem(kind=kind, target=target)).reports.append(report)
    return sorted(items.values(), key=lambda item: item.first_at)[:limit]


def open_reports_count() -> int:
    return sum(kind.model.objects.open().count() for kind in KINDS.values())


def report_item(kind_name: str, pk: int) -> ReportItem:
    """The reported object and its open reports; 404 for an unknown kind or object."""
    if kind_name not in KINDS:
        raise Http404
    kind = KINDS[kind_name]
    target_model = kind.model._meta.get_field(kind.target_field).related_model
    target = target_model.objects.select_related(*kind.target_related).filter(pk=pk).first()
    if target is None:
        raise Http404
    reports = kind.model.objects.open().filter(**{kind.target_field: target}).order_by("created_at")
    return ReportItem(kind=kind, target=target, reports=list(reports))


def reports_by(user: User) -> list:
    """A resident's own reports, newest first, each with `kind` and `subject` for their page."""
    rows = []
    for kind in KINDS.values():
        subject_related = "__".join([kind.target_field, *kind.subject_path.split("__")[:-1]])
        for report in kind.model.objects.filter(reporter=user).select_related(subject_related):
            report.kind, report.subject = kind, kind.subject_of(getattr(report, kind.target_field))
            rows.append(report)
    return sorted(rows, key=lambda report: report.created_at, reverse=True)
