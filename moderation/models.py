"""The staff console's data: reason templates, suspensions and warnings, assisted
registrations for postcard residents, and the impact estimate.

The audit log and the NG word list live in core (core.models), so that every app can write audit
rows and check text without importing the staff app.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from listings.models import Listing


class ReasonTemplate(models.Model):
    """A ready-made reason staff pick when rejecting a listing (editable on the console)."""

    title = models.CharField(_("name"), max_length=60)
    text = models.TextField(_("reason the resident reads"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reason template")
        verbose_name_plural = _("reason templates")

    def __str__(self) -> str:
        return self.title


class Suspension(models.Model):
    """One suspension of an account: who, why, and which listings it hid (shown again on restore)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suspensions")
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_listings = models.ManyToManyField(Listing, related_name="+", blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(lifted_at__isnull=True), name="suspension_one_active"),
        ]


class AccountWarning(models.Model):
    """A warning staff sent an account (by email), kept as the account's history.

    A warning about an anonymous board post is marked `from_board`: the account page never shows
    it (its text and time would tie the account to the post); only the requester of an approved
    four-eyes reveal sees it, with the author.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="warnings")
    text = models.TextField(_("warning"))
    from_board = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class AssistedRegistration(models.Model):
    """A listing staff registered for a resident who sent a postcard (no account).

    The listing is owned by the postcard desk account; the resident's name, phone and postal code
    are kept here for staff only and never appear on a public page, feed or API.
    """

    listing = models.OneToOneField(Listing, on_delete=models.PROTECT, related_name="assisted")
    resident_name = models.CharField(_("resident's name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20)
    postal_code = models.CharField(_("postal code"), max_length=7)
    note = models.TextField(_("note for staff"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assisted registration")
        verbose_name_plural = _("assisted registrations")

    def __str__(self) -> str:
        return f"Assisted registration of listing {self.listing_id}"


class AssistedNote(models.Model):
    """What staff did for the resident: a phone call, the outcome relayed."""

    registration = models.ForeignKey(AssistedRegistration, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ImpactSettings(models.Model):
    """Staff-editable factor for the impact estimate (one row). The average weight per category
    is on listings.Category."""

    co2_per_tonne = models.DecimalField(
        _("CO2 saved per tonne reused (t CO2e)"), max_digits=6, decimal_places=3, default=Decimal("0.510"),
        help_text=_("0.51 t CO2e per tonne reused is a published default of a national reuse network."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("impact settings")
        verbose_name_plural = _("impact settings")
