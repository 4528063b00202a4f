"""The abstract base of every resident report (listings, messages, board posts).

Each app keeps its own concrete model and table (listings.ListingReport, messaging.MessageReport,
community.PostReport): it adds the reported object (a foreign key with related_name="reports"),
its `Reason` choices and the `reason` field, and its one-report-per-reporter constraint. The staff
queue (moderation.reports) reads them all through one table of kinds.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ratelimit import Limit, rate_limit


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for staff")
    RESOLVED = "resolved", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.OPEN)

    def resolve(self, *, actor: AbstractBaseUser) -> int:
        """Staff acted on the reported object: the open ones are handled by `actor` now; returns how many."""
        return self._close(actor, ReportStatus.RESOLVED)

    def dismiss(self, *, actor: AbstractBaseUser) -> int:
        """Nothing to do: the open ones are dismissed by `actor` now; returns how many."""
        return self._close(actor, ReportStatus.DISMISSED)

    def _close(self, actor: AbstractBaseUser, status: str) -> int:
        return self.open().update(status=status, handled_by=actor, handled_at=timezone.now())


class Report(models.Model):
    """A resident's report waiting for staff; staff resolve or dismiss it (handled_by/at)."""

    Status = ReportStatus

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("details"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="%(app_label)s_%(class)s_status_valid"),
        ]
        # The staff queue reads the open reports, oldest first.
        indexes = [models.Index(fields=["status", "created_at"], name="%(app_label)s_%(class)s_queue")]



def report_rate_limit(reporter: AbstractBaseUser) -> None:
    """Count one report by `reporter` (listings, messages and board posts together); raises
    core.ratelimit.RateLimited past REPORTS_PER_HOUR in an hour. Call it before writing."""
    message = _("You can send at most %(n)s reports an hour.") % {"n": settings.REPORTS_PER_HOUR}
    rate_limit(reporter.pk, Limit("report", settings.REPORTS_PER_HOUR, timedelta(hours=1), message))
