"""The staff-editable listing rules and the review decision built on them."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.contacts import contact_details_describe, contact_details_in
from core.matching import WordMatcher, word_key
from listings.models import Listing, ListingRules
from listings.signals import listing_review_requested

_CACHE_KEY = "listings:rules"
# One line of the prohibited-items rule may name several items: 医薬品（処方薬・市販薬）.
_ITEM_SEPARATORS = re.compile(r"[、,，・/／()（）「」『』【】\[\]:：;；。]+")


def rules_row() -> ListingRules:
    """The rules row from the database, created from the LISTING_* settings the first time (for
    editing: never from the cache, which may outlive a rolled-back first creation)."""
    rules, _created = ListingRules.objects.get_or_create(
        pk=1,
        defaults={
            "price_cap": settings.LISTING_PRICE_CAP,
            "expiry_days": settings.LISTING_EXPIRY_DAYS,
            "review_all": settings.LISTING_PREMODERATION,
        },
    )
    return rules


def rules_current() -> ListingRules:
    """The rules row (created from the LISTING_* settings the first time), cached for a minute."""
    rules = cache.get(_CACHE_KEY)
    if rules is None:
        rules = rules_row()
        rules.category_ids = set(rules.review_categories.values_list("pk", flat=True))
        cache.set(_CACHE_KEY, rules, 60)
    return rules


def rules_forget() -> None:
    """After a change: every process reads the new rules at once (the cache is shared via Redis)."""
    cache.delete(_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))


def prohibited_items_in(rules: ListingRules, *texts: str) -> list[str]:
    """The prohibited items (as staff wrote them) named in the texts, compared like NG words:
    after normalising width, case and katakana/hiragana, and ignoring spaces."""
    entries = []
    for line in rules.prohibited_items.splitlines():
        for item in _ITEM_SEPARATORS.split(line):
            item = item.strip()
            key = word_key(item)
            if not key.isdigit():  # a bare number (the 1 of "1：武器") would match any price or date
                entries.append((key, item))
    return WordMatcher(entries).found_in(*texts)


def review_reasons(listing: Listing) -> list[str]:
    """Why this listing must wait for staff review; empty when it may be published at once."""
    rules = rules_current()
    reasons = []
    if rules.review_all:
        reasons.append(_("every new listing is reviewed"))
    if rules.review_new_accounts_days and listing.owner.date_joined > timezone.now() - timedelta(days=rules.review_new_accounts_days):
        reasons.append(_("account younger than %(days)s days") % {"days": rules.review_new_accounts_days})
    if listing.category_id in rules.category_ids:
        reasons.append(_("category “%(category)s”") % {"category": listing.category.name})
    # Always checked: the rule is shown on the form as what cannot be listed at all.
    prohibited = prohibited_items_in(rules, listing.title, listing.description)
    if prohibited:
        reasons.append(_("prohibited items: %(items)s") % {"items": ", ".join(prohibited)})
    # Always checked: a poster who says it is not a contact detail still has staff look first.
    contacts = contact_details_in(listing.title, listing.description)
    if contacts:
        reasons.append(_("contact details: %(details)s") % {"details": contact_details_describe(contacts)})
    for _receiver, reason in listing_review_requested.send(sender=Listing, listing=listing, rules=rules):
        if reason:
            reasons.append(str(reason))
    return reasons
