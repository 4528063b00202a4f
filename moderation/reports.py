"""One reports queue over listings, messages and board posts (reads only).

Each app keeps its own report model (listings.ListingReport, messaging.MessageReport,
community.PostReport, all with the same status values); this module groups the open ones by
the reported object, oldest first, for the staff queue, and lists a resident's own reports.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model, QuerySet
from django.http import Http404

from accounts.models import User
from community.models import Post, PostReport
from listings.models import Listing, ListingReport
from messaging.models import Message, MessageReport

KINDS = ("listing", "message", "post")
_OPEN = "open"


@dataclass
class ReportItem:
    kind: str  # "listing", "message" or "post"
    target: Model
    reports: list = field(default_factory=list)

    @property
    def first_at(self) -> datetime:
        return min(report.created_at for report in self.reports)

    @property
    def report_queryset(self) -> QuerySet:
        """The reports of this object (the services close the open ones)."""
        if self.kind == "listing":
            return ListingReport.objects.filter(listing=self.target)
        if self.kind == "message":
            return MessageReport.objects.filter(message=self.target)
        return PostReport.objects.filter(post=self.target)

    @property
    def author(self) -> User:
        """Who wrote the reported object. For a board post, never shown to staff (see `author_known`)."""
        if self.kind == "listing":
            return self.target.owner
        if self.kind == "message":
            return self.target.sender
        return self.target.author

    @property
    def author_known(self) -> bool:
        return self.kind != "post"  # board authors are revealed only through the four-eyes request


def _group(kind: str, reports, target_of) -> dict:
    items: dict = {}
    for report in reports:
        target = target_of(report)
        items.setdefault((kind, target.pk), ReportItem(kind=kind, target=target)).reports.append(report)
    return items


def open_report_items(*, limit: int = 100) -> list[ReportItem]:
    """Every reported object with open reports, the longest-waiting first. Three queries."""
    items = {}
    items |= _group("listing", ListingReport.objects.filter(status=_OPEN).select_related("listing__owner", "listing__town").order_by("created_at")[:limit], lambda r: r.listing)
    items |= _group("message", MessageReport.objects.filter(status=_OPEN).select_related("message__sender", "message__conversation__listing").order_by("created_at")[:limit], lambda r: r.message)
    items |= _group("post", PostReport.objects.filter(status=_OPEN).select_related("post__thread").order_by("created_at")[:limit], lambda r: r.post)
    return sorted(items.values(), key=lambda item: item.first_at)[:limit]


def open_reports_count() -> int:
    return sum(model.objects.filter(status=_OPEN).count() for model in (ListingReport, MessageReport, PostReport))


def report_item(kind: str, pk: int) -> ReportItem:
    """The reported object and its open reports; 404 for an unknown kind or object."""
    if kind == "listing":
        target = Listing.objects.select_related("owner").filter(pk=pk).first()
        reports = ListingReport.objects.filter(listing_id=pk, status=_OPEN)
    elif kind == "message":
        target = Message.objects.select_related("sender", "conversation__listing").filter(pk=pk).first()
        reports = MessageReport.objects.filter(message_id=pk, status=_OPEN)
    elif kind == "post":
        target = Post.objects.select_related("thread", "author").filter(pk=pk).first()
        reports = PostReport.objects.filter(post_id=pk, status=_OPEN)
    else:
        raise Http404
    if target is None:
        raise Http404
    return ReportItem(kind=kind, target=target, reports=list(reports.order_by("created_at")))


def reports_by(user: User) -> list:
    """A resident's own reports, newest first, each with `kind` and `subject` for their page."""
    rows = []
    for report in ListingReport.objects.filter(reporter=user).select_related("listing"):
        report.kind, report.subject = "listing", report.listing.title
        rows.append(report)
    for report in MessageReport.objects.filter(reporter=user).select_related("message__conversation__listing"):
        report.kind, report.subject = "message", report.message.conversation.listing.title
        rows.append(report)
    for report in PostReport.objects.filter(reporter=user).select_related("post__thread"):
        report.kind, report.subject = "post", report.post.thread.title
        rows.append(report)
    return sorted(rows, key=lambda report: report.created_at, reverse=True)
