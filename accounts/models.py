"""Residents and residency: the custom user, the municipality's towns and their postal codes."""

import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager, Permission
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from core.municipality import office_desk_name, office_name


STAFF_GROUP = "staff"  # the environment office: holds the accounts.staff_console permission (migration 0004)
STAFF_IDS_CACHE_KEY = "accounts:staff-account-ids"
STAFF_IDS_CACHE_SECONDS = 300  # a change of role clears it at once (accounts.receivers)


def public_id_new() -> str:
    """A random, URL-safe id for a person's page (16 characters, 96 bits): it says nothing about
    the account and cannot be guessed or counted through, unlike the sequential primary key."""
    return secrets.token_urlsafe(12)


def staff_account_ids() -> frozenset[int]:
    """The ids of accounts that hold the staff role (the staff permission through a group or
    directly, or superuser), active or not; cached, since every name on a page asks."""
    ids = cache.get(STAFF_IDS_CACHE_KEY)
    if ids is None:
        granted = Permission.objects.filter(codename="staff_console", content_type__app_label="accounts")
        ids = frozenset(
            User.objects.filter(Q(is_superuser=True) | Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
            .values_list("pk", flat=True)
            .distinct()
        )
        cache.set(STAFF_IDS_CACHE_KEY, ids, STAFF_IDS_CACHE_SECONDS)
    return ids


class Town(models.Model):
    """A town (町名) of the municipality: the pickup area a listing shows, never an address."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_kana = models.CharField(_("reading"), max_length=160, blank=True)
    # Versions the public API's answers that show towns (mirror.selectors.mirror_version).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_kana", "name"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")

    def __str__(self) -> str:
        return self.name


class PostalCode(models.Model):
    """A Japan Post postal code inside the municipality, and the town it belongs to."""

    code = models.CharField(_("postal code"), max_length=7, primary_key=True)
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self) -> str:
        return f"〒{self.code[:3]}-{self.code[3:]}"


class UserManager(BaseUserManager):
    """Users sign in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


# The account that owns listings staff register from postcards (moderation/assisted.py): the office's
# postcard desk, not a person, so it has no people page either.
OFFICE_DESK_EMAIL = "postcard-desk@mottainai.invalid"


class User(AbstractUser):
    """An account. A resident is an account whose home postal code lies in the municipality."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    # How other residents' pages address this person (messaging:profile), never the sequential pk.
    public_id = models.CharField(_("public id"), max_length=22, unique=True, default=public_id_new, editable=False)
    display_name = models.CharField(_("display name"), max_length=30)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    town = models.ForeignKey(
        Town, verbose_name=_("town"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notify_messages = models.BooleanField(_("email me about new messages"), default=True)
    notify_listings = models.BooleanField(_("email me about my listings (expiry, moderation)"), default=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Set by staff (moderation.services.account_suspend): no posting, messaging or requests.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    # The version of the terms of use (settings.TERMS_VERSION) the resident last accepted, and when.
    terms_version = models.CharField(_("terms version accepted"), max_length=40, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The staff role: a superuser grants it by adding the account to the STAFF_GROUP group.
        permissions = [("staff_console", "Can use the staff console")]

    def __str__(self) -> str:
        return self.public_name

    @cached_property
    def is_office(self) -> bool:
        """Does this account hold the staff role, or is it the postcard desk? Residents then see the
        office, not a person. (Set on an unsaved copy, messaging.rendering does, to render without
        a query.)"""
        return self.email == OFFICE_DESK_EMAIL or (self.pk is not None and self.pk in staff_account_ids())

    @property
    def public_name(self) -> str:
        """The name other residents see: a staff member's is the office's, never their own."""
        if self.deleted_at:
            return str(_("Deleted user"))
        if self.email == OFFICE_DESK_EMAIL:
            return office_desk_name()  # in the page's language, as configured now
        if self.is_office:
            return office_name()
        return self.display_name or str(_("Resident"))

    @property
    def addressed_name(self) -> str:
        """public_name as a sentence names the account: a person with the honorific of the page's
        language (よしこさん), the office, the postcard desk and a deleted account without (they are
        not people)."""
        if self.deleted_at or self.is_office:
            return self.public_name
        return pgettext("a person's name in a sentence, with the honorific", "%(name)s") % {"name": self.public_name}

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
