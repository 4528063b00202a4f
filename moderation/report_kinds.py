"""What a kind of reported object is (ReportKind) and one reported object in the queue (ReportItem).

The table of kinds itself is moderation.reports.KINDS; this module only holds the two types, so
that the services can take a ReportItem without importing that table (which names the services'
hide actions).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db.models import Model, QuerySet

from accounts.models import User
from core.reports import Report


@dataclass(frozen=True)
class ReportKind:
    """One kind of reported object: its report model and how staff see and handle it."""

    name: str  # in URLs and audit rows: "listing", "message", "post"
    label: str  # what staff and reporters read ("Listing"), lazily translated
    model: type[Report]
    target_field: str  # the report's foreign key to the reported object, also the hide action's argument
    target_related: tuple[str, ...]  # what the queue loads with the reported object
    author_field: str
    author_known: bool  # a board author stays anonymous: only the four-eyes reveal shows them
    subject_path: str  # from the reported object to the title its reporter reads on "My reports"
    can_hide: Callable[[Model], bool]
    hide: Callable[..., object]  # hide(<target_field>=target, actor=..., reason=...), audited
    url: Callable[["ReportItem"], str]  # where staff look at the reported object

    def subject_of(self, target: Model) -> str:
        """The title a reporter reads for this reported object."""
        return reduce(getattr, self.subject_path.split("__"), target)


@dataclass
class ReportItem:
    """One reported object and its open reports."""

    kind: ReportKind
    target: Model
    reports: list = field(default_factory=list)

    @property
    def first_at(self) -> datetime:
        return min(report.created_at for report in self.reports)

    @property
    def report_queryset(self) -> QuerySet:
        """All the reports of this object (the services close the open ones)."""
        return self.kind.model.objects.filter(**{self.kind.target_field: self.target})

    @property
    def author(self) -> User:
        """Who wrote the reported object. For a board post, never shown to staff (see `author_known`)."""
        return getattr(self.target, self.kind.author_field)

    @property
    def author_known(self) -> bool:
        return self.kind.author_known

    @property
    def url(self) -> str:
        return self.kind.url(self)

    @property
    def template(self) -> str:
        """The partial that shows the reported object in context."""
        return f"moderation/_report_target.html#{self.kind.name}"
