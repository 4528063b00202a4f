"""Staff writes on listings and settings. Each one writes an audit record in its transaction."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import is_staff_member
from listings.lifecycle import Action
from listings.models import Category, Listing, ListingRules
from listings.rules import rules_current, rules_forget
from listings.services import listing_transition
from moderation.audit import audit_record
from moderation.models import AuditRecord, ReasonTemplate


def _check_staff(actor: User) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied


def _tell_owner(listing: Listing, template: str, **context) -> None:
    """Email the poster (when they want listing emails), after commit, in Japanese."""
    owner = listing.owner
    if not owner.notify_listings or not owner.is_active or owner.deleted_at:
        return
    context = {"listing": listing, "url": settings.SITE_URL + listing.get_absolute_url(), **context}
    with translation.override("ja"):
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [owner.email]))


def listing_approve(*, listing: Listing, actor: User) -> Listing:
    """Publish a listing that waits for review; the poster is told."""
    _check_staff(actor)
    with transaction.atomic():
        listing = listing_transition(listing=listing, action=Action.APPROVE, actor=actor)
        audit_record(actor=actor, action=AuditRecord.Action.LISTING_APPROVE, target=listing,
                     before={"status": Listing.Status.PENDING}, after={"status": listing.status})
        _tell_owner(listing, "listing_approved")
    return listing


def listings_approve_bulk(*, listing_ids: list[int], actor: User) -> int:
    """Approve several waiting listings; those no longer waiting are skipped. Returns how many."""
    _check_staff(actor)
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
    _check_staff(actor)
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
    _check_staff(actor)
    if expiry_days < 1:
        raise ValidationError(_("A listing must stay up for at least one day."))
    with transaction.atomic():
        rules_current()  # make sure the row exists
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
    _check_staff(actor)
    template = ReasonTemplate(title=(title or "").strip(), text=(text or "").strip(), position=ReasonTemplate.objects.count())
    template.full_clean()
    with transaction.atomic():
        template.save()
        audit_record(actor=actor, action=AuditRecord.Action.REASON_TEMPLATE_ADD, target=template, after={"title": template.title, "text": template.text})
    return template


def reason_template_remove(*, actor: User, template: ReasonTemplate) -> None:
    _check_staff(actor)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditRecord.Action.REASON_TEMPLATE_REMOVE, target=template, before={"title": template.title, "text": template.text})
        template.delete()
