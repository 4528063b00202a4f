"""The models every app shares: the append-only audit log and the NG word list.

Both tables keep their first names (moderation_auditrecord, moderation_ngword): the models moved
here from moderation so that any app can write audit rows and check text without importing the
staff app, and no data moved with them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet):
    """Audit records are append-only: the application can add and read them, never change them."""

    def update(self, **kwargs):
        raise ValidationError("Audit records cannot be changed.")

    def delete(self):
        raise ValidationError("Audit records cannot be deleted.")


class AuditRecord(models.Model):
    """Who did what, when, to which object, why; with before and after where it applies.

    Besides the guards here, a database trigger (moderation migration 0002) refuses UPDATE on the table.
    """

    class Action(models.TextChoices):
        POST_HIDE = "board.post_hide", _("Hid a board post")
        POST_RESTORE = "board.post_restore", _("Restored a board post")
        POST_APPROVE = "board.post_approve", _("Published a held board post")
        POST_OFFICIAL_ANSWER = "board.official_answer", _("Answered a thread for the ward")
        REPORT_DISMISS = "board.report_dismiss", _("Dismissed a report")
        REVEAL_REQUEST = "board.reveal_request", _("Asked to see the author of a board post")
        REVEAL_APPROVE = "board.reveal_approve", _("Approved a request to see an author")
        REVEAL_REFUSE = "board.reveal_refuse", _("Refused a request to see an author")
        REVEAL_VIEW = "board.reveal_view", _("Saw the author of a board post")
        NG_WORD_ADD = "settings.ng_word_add", _("Added an NG word")
        NG_WORD_REMOVE = "settings.ng_word_remove", _("Removed an NG word")
        FACILITY_IMPORT = "community.facility_import", _("Imported facilities")
        AUDIT_EXPORT = "audit.export", _("Exported the audit log")
        LISTING_APPROVE = "listing.approve", _("Approved a listing")
        LISTING_REJECT = "listing.reject", _("Rejected a listing")
        RULES_CHANGE = "settings.listing_rules", _("Changed the listing rules")
        REASON_TEMPLATE_ADD = "settings.reason_template_add", _("Added a reason template")
        REASON_TEMPLATE_REMOVE = "settings.reason_template_remove", _("Removed a reason template")
        REASON_TEMPLATE_EDIT = "settings.reason_template_edit", _("Changed a reason template")
        LISTING_HIDE = "listing.hide", _("Hid a listing")
        LISTING_UNHIDE = "listing.unhide", _("Showed a hidden listing again")
        MESSAGE_HIDE = "message.hide", _("Hid a message")
        REPORT_RESOLVE = "report.resolve", _("Resolved a report")
        REPORT_DISMISS_ANY = "report.dismiss", _("Dismissed reports")
        CONVERSATION_VIEW = "message.conversation_view", _("Read a reported conversation")
        ACCOUNT_WARN = "account.warn", _("Warned an account")
        ACCOUNT_SUSPEND = "account.suspend", _("Suspended an account")
        ACCOUNT_RESTORE = "account.restore", _("Restored a suspended account")
        ASSISTED_REGISTER = "assisted.register", _("Registered a listing for a postcard resident")
        ASSISTED_MESSAGE = "assisted.message", _("Wrote to a requester for a postcard resident")
        ASSISTED_RESERVE = "assisted.reserve", _("Reserved an item for a requester for a postcard resident")
        ASSISTED_RELEASE = "assisted.release", _("Released a reservation for a postcard resident")
        ASSISTED_HAND_OVER = "assisted.hand_over", _("Recorded a handover for a postcard resident")
        ASSISTED_NOTE = "assisted.note", _("Noted a call with a postcard resident")
        ASSISTED_EDIT = "assisted.edit", _("Corrected a listing for a postcard resident")
        ASSISTED_WITHDRAW = "assisted.withdraw", _("Withdrew a listing for a postcard resident")
        IMPACT_SETTINGS = "settings.impact", _("Changed the impact estimates")
        IMPACT_EXPORT = "impact.export", _("Exported the impact figures")
        CATEGORY_SAVE = "settings.category", _("Added or changed a category")
        WEBHOOK_ADD = "settings.webhook_add", _("Added a webhook endpoint for the ward")
        WEBHOOK_CHANGE = "settings.webhook_change", _("Changed a webhook endpoint")
        WEBHOOK_SECRET = "settings.webhook_secret", _("Made a new webhook signing secret")
        WEBHOOK_DELETE = "settings.webhook_delete", _("Deleted a webhook endpoint")
        LINE_SEGMENT_SEND = "line.segment_send", _("Sent a LINE message to residents")
        CONSULTATION_SAVE = "consultation.save", _("Created or changed a consultation")
        CONSULTATION_PUBLISH = "consultation.publish", _("Published a consultation")
        CONSULTATION_QUESTIONS = "consultation.questions", _("Changed the questions of a consultation")
        CONSULTATION_WORDING = "consultation.wording", _("Fixed the wording of a question already answered")
        CONSULTATION_ATTACHMENT = "consultation.attachment", _("Added or removed a consultation document")
        CONSULTATION_PAPER = "consultation.paper", _("Entered a paper answer to a consultation")
        CONSULTATION_REVIEW = "consultation.review", _("Reviewed a free-text answer")
        CONSULTATION_RESULTS = "consultation.results", _("Wrote the summary or the ward's response")
        CONSULTATION_ANNOUNCE = "consultation.announce", _("Announced a consultation to residents")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    # The object acted on, by type and id (not a foreign key: the record outlives the object).
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        db_table = "moderation_auditrecord"
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        # The one guard in a save(): an existing record is never written again.
        if not self._state.adding:
            raise ValidationError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit records cannot be deleted.")


class NGWord(models.Model):
    """A word or phrase that holds a board post or a listing for staff review instead of publishing it."""

    word = models.CharField(_("word or phrase"), max_length=50)
    normalised = models.CharField(max_length=50, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "moderation_ngword"  # the model moved from moderation; the table kept its name
        ordering = ["normalised"]
        verbose_name = _("NG word")
        verbose_name_plural = _("NG words")

    def __str__(self) -> str:
        return self.word


class FailedNotice(models.Model):
    """An email the mail task gave up on, for the staff console: to whom (masked), which email,
    when and why. Never the body or the subject, which can hold what residents wrote."""

    class Reason(models.TextChoices):
        SERVER = "server", _("The mail server did not accept it")
        MESSAGE = "message", _("The email could not be written")

    recipient = models.CharField(_("recipient"), max_length=254)  # masked: "a***@example.com"
    kind = models.CharField(_("email"), max_length=100, blank=True)  # the template, e.g. "messaging/email/chosen"
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    error = models.CharField(_("error"), max_length=100)  # the exception's class name only
    attempts = models.PositiveSmallIntegerField(_("attempts"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("failed email")
        verbose_name_plural = _("failed emails")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.recipient}"


class WorkerHeartbeat(models.Model):
    """When a task worker (`manage.py run_worker`) last said it was alive, one row per host
    (container): read by /readyz, /metrics and `manage.py check_worker`."""

    host = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.host} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """When each job of `manage.py run_schedule` last ran (core/schedule.py), so that a restarted
    scheduler runs only what is due. The row named `run_schedule` is the scheduler's own heartbeat."""

    name = models.CharField(max_length=100, unique=True)
    last_started = models.DateTimeField(null=True)
    last_finished = models.DateTimeField(null=True)
    last_ok = models.BooleanField(null=True)
    last_error = models.CharField(max_length=200, blank=True)  # the exception's class and message, shortened

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
