"""Staff writes: listing review, rules, reports, warnings and suspensions. Each one writes an
audit record in its own transaction."""

from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import check_staff_member
from accounts.services import user_suspend, user_unsuspend
from core.audit import audit_reason, audit_record
from core.mail import email_send, one_line
from core.models import AuditRecord
from listings.lifecycle import Action
from listings.models import Category, Listing, ListingRules, category_name_key
from listings.rules import rules_forget, rules_row
from listings.services import listing_transition
from messaging.models import Message, MessageReport
from moderation.board import post_hide
from moderation.models import AccountWarning, ImpactSettings, ReasonTemplate, Suspension
from moderation.report_kinds import ReportItem
from notifications.models import Event
from notifications.services import Notice, notice_send


DECISION_LINES = {
    "listing_approved": _("It is public now."),
    "listing_rejected": _("It could not be published. Open it to see the reason."),
    "listing_hidden": _("Staff hid it from public view. Open it to see the reason."),
}


def _tell_owner(listing: Listing, template: str, **context) -> None:
    """Tell the poster on the channels they chose for staff decisions (email after commit, when
    they want listing emails; push and LINE by task)."""
    owner = listing.owner
    context = {"listing": listing, "url": settings.SITE_URL + listing.get_absolute_url(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        notice = Notice(
            event=Event.DECISION,
            key=f"decision:{listing.pk}:{template}:{listing.status_changed_at.isoformat()}",
            title=one_line(render_to_string(f"moderation/email/{template}_subject.txt", context)),
            body=str(DECISION_LINES[template]),
            path=listing.get_absolute_url(),
        )
    notice_send(user=owner, notice=notice, email=partial(email_send, to=owner.email, template=f"moderation/email/{template}", context=context))


def listing_approve(*, listing: Listing, actor: User) -> Listing:
    """Publish a listing that waits for review; the poster is told."""
    check_staff_member(actor)
    with transaction.atomic():
        listing = listing_transition(listing=listing, action=Action.APPROVE, actor=actor)
        audit_record(actor=actor, action=AuditRecord.Action.LISTING_APPROVE, target=listing,
                     before={"status": Listing.Status.PENDING}, after={"status": listing.status})
        _tell_owner(listing, "listing_approved")
    return listing


def listings_approve_bulk(*, listing_ids: list[int], actor: User) -> int:
    """Approve several waiting listings; those no longer waiting are skipped. Returns how many."""
    check_staff_member(actor)
    count = 0
    for listing in Listing.objects.filter(pk__in=listing_ids, status=Listing.Status.PENDING).select_related("owner"):
        try:
            listing_approve(listing=listing, actor=actor)
            count += 1
        except ValidationError:
            continue  # changed since the page was shown (withdrawn, approved by a colleague)
    return count


def listing_reject(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Reject a waiting or published listing with a reason the poster reads (site and email)."""
    check_staff_member(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason the resident will read."), code="reason_required")
    with transaction.atomic():
        before = Listing.objects.values_list("status", flat=True).get(pk=listing.pk)
        listing = listing_transition(listing=listing, action=Action.REJECT, actor=actor, reason=reason[:1000])
        audit_record(actor=actor, action=AuditRecord.Action.LISTING_REJECT, target=listing, reason=reason,
                     before={"status": before}, after={"status": listing.status})
        _tell_owner(listing, "listing_rejected", reason=listing.rejection_reason)
    return listing


def _rules_snapshot(rules: ListingRules) -> dict:
    return {
        "price_cap": rules.price_cap,
        "expiry_days": rules.expiry_days,
        "review_all": rules.review_all,
        "review_new_accounts_days": rules.review_new_accounts_days,
        "review_categories": sorted(rules.review_categories.values_list("slug", flat=True)),
        "review_ng_words": rules.review_ng_words,
        "prohibited_items": rules.prohibited_items,
    }


def listing_rules_update(
    *, actor: User, price_cap: int, expiry_days: int, review_all: bool, review_new_accounts_days: int,
    review_categories: list[Category], review_ng_words: bool, prohibited_items: str,
) -> ListingRules:
    """Change the listing rules (audited with before and after); they apply at once."""
    check_staff_member(actor)
    if expiry_days < 1:
        raise ValidationError(_("A listing must stay up for at least one day."))
    with transaction.atomic():
        rules_row()  # make sure the row exists
        rules = ListingRules.objects.select_for_update().get(pk=1)
        before = _rules_snapshot(rules)
        rules.price_cap = price_cap
        rules.expiry_days = expiry_days
        rules.review_all = review_all
        rules.review_new_accounts_days = review_new_accounts_days
        rules.review_ng_words = review_ng_words
        rules.prohibited_items = prohibited_items.strip()
        rules.full_clean()
        rules.save()
        rules.review_categories.set(review_categories)
        after = _rules_snapshot(rules)
        if after != before:
            audit_record(actor=actor, action=AuditRecord.Action.RULES_CHANGE, target=rules, before=before, after=after)
        rules_forget()
    return rules


def reason_template_add(*, actor: User, title: str, text: str) -> ReasonTemplate:
    check_staff_member(actor)
    template = ReasonTemplate(title=(title or "").strip(), text=(text or "").strip(), position=ReasonTemplate.objects.count())
    template.full_clean()
    with transaction.atomic():
        template.save()
        audit_record(actor=actor, action=AuditRecord.Action.REASON_TEMPLATE_ADD, target=template, after={"title": template.title, "text": template.text})
    return template


def reason_template_update(*, actor: User, template: ReasonTemplate, title: str, text: str) -> ReasonTemplate:
    """Change a template's name or text (audited with both versions); rejections already sent keep
    the text they were sent with."""
    check_staff_member(actor)
    before = {"title": template.title, "text": template.text}
    template.title, template.text = (title or "").strip(), (text or "").strip()
    template.full_clean()
    after = {"title": template.title, "text": template.text}
    with transaction.atomic():
        template.save(update_fields=["title", "text"])
        if before != after:
            audit_record(actor=actor, action=AuditRecord.Action.REASON_TEMPLATE_EDIT, target=template, before=before, after=after)
    return template


def reason_template_remove(*, actor: User, template: ReasonTemplate) -> None:
    check_staff_member(actor)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditRecord.Action.REASON_TEMPLATE_REMOVE, target=template, before={"title": template.title, "text": template.text})
        template.delete()


# --- reports, warnings, suspensions ---------------------------------------------------------------

def _email_account(user: User, template: str, **context) -> None:
    """Email the account itself (warnings and suspensions are sent whatever its email choices)."""
    if not user.is_active or user.deleted_at:
        return
    context["user"] = user
    email_send(to=user.email, template=f"moderation/email/{template}", context=context)


def reports_dismiss(*, item: ReportItem, actor: User, reason: str = "") -> None:
    """Nothing to do about the reported object: its open reports are dismissed."""
    check_staff_member(actor)
    with transaction.atomic():
        count = item.report_queryset.dismiss(actor=actor)
        audit_record(actor=actor, action=AuditRecord.Action.REPORT_DISMISS_ANY, target=item.target, reason=reason,
                     after={"kind": item.kind.name, "reports": count})


def reported_hide(*, item: ReportItem, actor: User, reason: str) -> None:
    """Hide the reported listing, message or board post (its kind's hide action, audited there);
    its reports count as handled."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    with transaction.atomic():
        item.kind.hide(**{item.kind.target_field: item.target}, actor=actor, reason=reason)
        item.report_queryset.resolve(actor=actor)
        audit_record(actor=actor, action=AuditRecord.Action.REPORT_RESOLVE, target=item.target, reason=reason, after={"outcome": "hidden"})


def listing_hide(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Hide a published or reserved listing; the poster is told why."""
    listing = _listing_staff_transition(listing, Action.HIDE, AuditRecord.Action.LISTING_HIDE, actor=actor, reason=reason)
    _tell_owner(listing, "listing_hidden", reason=listing.rejection_reason)  # the reason as stored
    return listing


def listing_unhide(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Show a hidden listing again."""
    return _listing_staff_transition(listing, Action.UNHIDE, AuditRecord.Action.LISTING_UNHIDE, actor=actor, reason=reason)


def _listing_staff_transition(listing: Listing, action: Action, audit_action: str, *, actor: User, reason: str) -> Listing:
    """Hide or show again: one lifecycle action with a required reason, audited with the status
    before (read under the row lock, whatever the caller's copy says) and after."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    with transaction.atomic():
        before = Listing.objects.select_for_update().values_list("status", flat=True).get(pk=listing.pk)
        listing = listing_transition(listing=listing, action=action, actor=actor, reason=reason)
        audit_record(actor=actor, action=audit_action, target=listing, reason=reason,
                     before={"status": before}, after={"status": listing.status})
    return listing


def message_hide(*, message: Message, actor: User, reason: str) -> None:
    """Hide a message: both participants see a notice instead of it."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(hidden_by_staff=True)
        audit_record(actor=actor, action=AuditRecord.Action.MESSAGE_HIDE, target=message, reason=reason,
                     before={"hidden": False}, after={"hidden": True})


def account_warn(*, user: User, actor: User, reason: str, item: ReportItem | None = None) -> AccountWarning:
    """Email the account a warning (kept in its history). From a board post the account stays
    unknown to staff: the audit record names the post, not the account, and the account page
    leaves the warning out (it is `from_board`)."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    with transaction.atomic():
        anonymous = item is not None and not item.author_known
        warning = AccountWarning.objects.create(user=user, text=reason, created_by=actor, from_board=anonymous)
        audit_record(actor=actor, action=AuditRecord.Action.ACCOUNT_WARN, target=item.target if anonymous else user, reason=reason)
        if item is not None:
            item.report_queryset.resolve(actor=actor)
        _email_account(user, "account_warning", reason=reason)
    return warning


def account_suspend(*, user: User, actor: User, reason: str, item: ReportItem | None = None) -> Suspension:
    """Suspend an account: no posting, messaging or requests, and its public listings are hidden
    until restored. The account is told why by email."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot suspend your own account."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at:
            raise ValidationError(_("This account is already suspended."))
        user_suspend(user=user, reason=reason)
        suspension = Suspension.objects.create(user=user, reason=reason, created_by=actor)
        for listing in Listing.objects.filter(owner=user, status__in=[Listing.Status.PUBLISHED, Listing.Status.RESERVED]):
            listing_transition(listing=listing, action=Action.HIDE, actor=actor, reason=str(_("The account is suspended.")))
            suspension.hidden_listings.add(listing)
        audit_record(actor=actor, action=AuditRecord.Action.ACCOUNT_SUSPEND, target=user, reason=reason,
                     before={"suspended": False}, after={"suspended": True, "listings_hidden": suspension.hidden_listings.count()})
        if item is not None:
            item.report_queryset.resolve(actor=actor)
        _email_account(user, "account_suspended", reason=reason)
    return suspension


def account_restore(*, user: User, actor: User, reason: str) -> None:
    """Lift the suspension; the listings it hid (and still hidden) are shown again."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        suspension = Suspension.objects.filter(user=user, lifted_at__isnull=True).first()
        if not user.suspended_at or suspension is None:
            raise ValidationError(_("This account is not suspended."))
        user_unsuspend(user=user)
        Suspension.objects.filter(pk=suspension.pk).update(lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason)
        shown = 0
        for listing in suspension.hidden_listings.filter(status=Listing.Status.HIDDEN):
            listing_transition(listing=listing, action=Action.UNHIDE, actor=actor)
            shown += 1
        audit_record(actor=actor, action=AuditRecord.Action.ACCOUNT_RESTORE, target=user, reason=reason,
                     before={"suspended": True}, after={"suspended": False, "listings_shown": shown})
        _email_account(user, "account_restored", reason=reason)


def conversation_view_for_report(*, report: MessageReport, actor: User) -> None:
    """Staff read a conversation only through a report of one of its messages; each look is audited."""
    check_staff_member(actor)
    audit_record(actor=actor, action=AuditRecord.Action.CONVERSATION_VIEW, target=report.message.conversation,
                 after={"report": report.pk, "message": report.message_id})


def impact_settings_update(*, actor: User, co2_per_tonne: Decimal, weights: dict[int, Decimal]) -> None:
    """Change the CO2 factor and the average weight per category (audited with before and after)."""
    check_staff_member(actor)
    if co2_per_tonne < 0 or any(weight < 0 for weight in weights.values()):
        raise ValidationError(_("Weights and factors cannot be negative."))
    with transaction.atomic():
        settings_row = ImpactSettings.objects.select_for_update().get_or_create(pk=1)[0]
        categories = {c.pk: c for c in Category.objects.select_for_update().filter(pk__in=weights)}
        before = {"co2_per_tonne": str(settings_row.co2_per_tonne), **{c.slug: str(c.average_weight_kg) for c in categories.values()}}
        settings_row.co2_per_tonne = co2_per_tonne
        settings_row.save()
        for pk, weight in weights.items():
            Category.objects.filter(pk=pk).update(average_weight_kg=weight)
        after = {"co2_per_tonne": str(co2_per_tonne), **{categories[pk].slug: str(weight) for pk, weight in weights.items() if pk in categories}}
        if before != after:
            audit_record(actor=actor, action=AuditRecord.Action.IMPACT_SETTINGS, target=settings_row, before=before, after=after)


def _check_category_names_unique(category: Category) -> None:
    """Residents pick a category by its name, so no two may read the same in either language."""
    errors = {}
    others = Category.objects.exclude(pk=category.pk).only("name_ja", "name_en")
    for field in ("name_ja", "name_en"):
        key = category_name_key(getattr(category, field))
        clash = next((other for other in others if category_name_key(getattr(other, field)) == key), None)
        if clash is not None:
            errors[field] = _("There is already a category named “%(name)s”.") % {"name": getattr(clash, field)}
    if errors:
        raise ValidationError(errors)


def category_save(*, actor: User, category: Category | None, name_ja: str, name_en: str, slug: str, position: int, is_active: bool) -> Category:
    """Add or change a category (audited). Categories are never deleted: listings keep theirs;
    a category no longer in use is made inactive and disappears from the listing form."""
    check_staff_member(actor)
    creating = category is None
    category = category or Category()
    before = None if creating else {"name_ja": category.name_ja, "name_en": category.name_en, "position": category.position, "is_active": category.is_active}
    category.name_ja, category.name_en, category.position, category.is_active = name_ja.strip(), name_en.strip(), position, is_active
    if creating:
        category.slug = slug
    category.full_clean()
    _check_category_names_unique(category)
    try:
        with transaction.atomic():
            category.save()
            after = {"name_ja": category.name_ja, "name_en": category.name_en, "position": category.position, "is_active": category.is_active}
            if before != after:
                audit_record(actor=actor, action=AuditRecord.Action.CATEGORY_SAVE, target=category, before=before, after=after)
    except IntegrityError:
        # Another staff member saved the same name (or slug) meanwhile: the database refused it.
        if creating:
            category.pk = None
        _check_category_names_unique(category)
        raise ValidationError(_("Another category with this name or slug was saved meanwhile. Check the list and try again.")) from None
    return category
