"""Residents and residency: the custom user, the municipality's towns and their postal codes."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


STAFF_GROUP = "staff"  # 環境推進課: holds the accounts.staff_console permission (migration 0004)


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


class User(AbstractUser):
    """An account. A resident is an account whose home postal code lies in the municipality."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
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

    @property
    def public_name(self) -> str:
        """The name other residents see."""
        if self.deleted_at:
            return str(_("Deleted user"))
        return self.display_name or str(_("Resident"))

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
