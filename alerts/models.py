"""Saved searches and what they already alerted about."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from listings.models import Category, Listing


class SavedSearch(models.Model):
    class Frequency(models.TextChoices):
        INSTANT = "instant", _("At once (at most one notice an hour)")
        DAILY = "daily", _("Once a day, in a digest")
        BADGE = "badge", _("Only a badge on the site")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    q = models.CharField(_("keywords"), max_length=100, blank=True)
    terms = models.JSONField(default=list, editable=False)  # normalised terms of q (listings.search.terms)
    key_gram = models.CharField(max_length=10, blank=True, editable=False)  # listings.search.key_gram(terms)
    kind = models.CharField(_("kind"), max_length=10, blank=True, choices=Listing.Kind.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    town = models.ForeignKey(Town, verbose_name=_("town"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    free = models.BooleanField(_("free only"), default=False)
    frequency = models.CharField(_("alerts"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)  # for "new since your last visit"
    last_instant_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # matching a new listing: active searches narrowed by the structured filters
            models.Index(fields=["is_active", "kind", "category", "town"], name="savedsearch_match"),
            # ... and the keyword searches whose key gram a new listing's text holds, or those with
            # no keywords, each of any category or of the listing's ("category IS NULL OR = x":
            # two tight index ranges)
            models.Index(fields=["key_gram", "category"], name="savedsearch_key_gram_category"),
        ]

    def __str__(self) -> str:
        return self.q or str(_("Saved search"))


class Alert(models.Model):
    """One listing matched one saved search; sent at once, in a digest, or shown as a badge."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A renewed or re-published listing never alerts the same search twice.
            models.UniqueConstraint(fields=["saved_search", "listing"], name="alert_once_per_listing"),
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="alert_pending")]
