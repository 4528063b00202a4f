"""Listings (offers and wanted items), their categories and photos."""

import re
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from accounts.models import Town
from core.reports import Report
from core.text import text_normalise


class Category(models.Model):
    """A staff-managed category; names are kept in both languages because staff edit them."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Staff-editable estimate of what one item weighs, for the waste kept out of the incinerator.
    average_weight_kg = models.DecimalField(_("average weight (kg)"), max_digits=6, decimal_places=1, default=3)
    # Versions the public API's answers that show categories (mirror.selectors.mirror_version).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Each name as names are compared (category_name_key), set on save: no two categories may
    # read the same in either language, which the database guarantees.
    name_ja_key = models.CharField(max_length=160, default="", editable=False)
    name_en_key = models.CharField(max_length=160, default="", editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["name_ja_key"], name="category_name_ja_unique"),
            models.UniqueConstraint(fields=["name_en_key"], name="category_name_en_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_ja_key, self.name_en_key = category_name_key(self.name_ja), category_name_key(self.name_en)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_ja_key", "name_en_key"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


def category_name_key(name: str) -> str:
    """How two category names are compared: width (ｶｸﾞ = カグ), case (Furniture = FURNITURE) and
    spaces do not count. Migration 0019 holds a copy: change both, and the stored keys."""
    return "".join(text_normalise(name, case=True).split())


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Giving away")  # 譲ります
    WANTED = "wanted", _("Wanted")  # 譲ってください

class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    RESERVED = "reserved", _("Reserved")
    HANDED_OVER = "handed_over", _("Handed over")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden by staff")  # after a report, or while the poster's account is suspended

class ListingCondition(models.TextChoices):
    NEW = "new", _("New, unused")
    LIKE_NEW = "like_new", _("Like new")
    GOOD = "good", _("Good, some signs of use")
    FAIR = "fair", _("Fair, visible wear")
    FOR_PARTS = "for_parts", _("Needs repair")
    ANY = "any", _("Any condition")  # for wanted listings


# Published or reserved: what visitors, the API, the feed and the widget see.
PUBLIC_Q = Q(status__in=["published", "reserved"])

# What the public sees of a listing (its page, the API, the feed, the widget, webhooks), photos
# apart: listings.services moves `updated_at` when one of these or the photos change, and for
# nothing else (review reasons, a rejection reason, the status to return to, search text, counts).
PUBLIC_FIELDS = ("kind", "title", "description", "category", "condition", "price", "town", "status", "published_at", "expires_at")


class Listing(models.Model):
    Kind = ListingKind
    Status = ListingStatus
    Condition = ListingCondition

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("poster"), on_delete=models.PROTECT, related_name="listings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ListingKind.choices, default=ListingKind.OFFER)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), max_length=2000)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="listings")
    condition = models.CharField(_("condition"), max_length=12, choices=ListingCondition.choices, default=ListingCondition.GOOD)
    price = models.PositiveIntegerField(_("price (yen)"), default=0, help_text=_("0 means free."))
    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT)
    # Hidden, or an edit waiting for review: the public status it left and returns to (listings.lifecycle).
    return_status = models.CharField(
        _("status to return to"), max_length=12, blank=True, default="",
        choices=[(ListingStatus.PUBLISHED, ListingStatus.PUBLISHED.label), (ListingStatus.RESERVED, ListingStatus.RESERVED.label)],
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    review_reasons = models.CharField(_("why it waits for review"), max_length=300, blank=True)  # for staff
    photo_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Keyword search (listings/search.py): normalised title and description, and their n-grams,
    # indexed by FTS5 on SQLite and by GIN on PostgreSQL (migration 0006).
    search_text = models.TextField(default="", blank=True, editable=False)
    search_grams = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When something public last changed (PUBLIC_FIELDS or the photos), set by listings.services;
    # published by the API and the feed, and what the mirror's Last-Modified and ETag follow.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)  # renewal starts it again
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)  # for the impact figures
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # When the owner was reminded that this period ends soon; a new period clears it.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ListingStatus.values), name="listing_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ListingKind.values), name="listing_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "reserved"]) | Q(published_at__isnull=False, expires_at__isnull=False),
                name="listing_public_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(return_status="") | Q(status__in=["hidden", "pending"], return_status__in=["published", "reserved"]),
                name="listing_return_status_while_away",
            ),
        ]
        indexes = [
            # Browsing, the API, the feed and the widget read public listings (published or
            # reserved). Partial indexes on exactly that predicate let every sort read rows in
            # order and stop after one page, instead of sorting every public listing.
            models.Index(fields=["-published_at", "-id"], condition=PUBLIC_Q, name="listing_public_newest"),
            models.Index(fields=["price", "id"], condition=PUBLIC_Q, name="listing_public_price"),
            models.Index(fields=["price", "-published_at", "-id"], condition=PUBLIC_Q, name="listing_public_free_newest"),
            models.Index(fields=["expires_at", "id"], condition=PUBLIC_Q, name="listing_public_expiring"),
            models.Index(fields=["category", "-published_at", "-id"], condition=PUBLIC_Q, name="listing_public_category"),
            models.Index(fields=["town", "-published_at", "-id"], condition=PUBLIC_Q, name="listing_public_town"),
            models.Index(fields=["kind", "price", "-published_at", "-id"], condition=PUBLIC_Q, name="listing_public_kind_price"),
            # home page (published only) and the daily expiry job
            models.Index(fields=["status", "-published_at"], name="listing_browse_newest"),
            models.Index(fields=["status", "expires_at"], name="listing_browse_expiring"),
            # my listings
            models.Index(fields=["owner", "-created_at"], name="listing_owner_recent"),
            # the mirror's Last-Modified and ETag: when did anything last change
            models.Index(fields=["updated_at"], name="listing_updated_at"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("listings:detail", args=[self.pk])

    @property
    def number(self) -> str:
        """The listing number residents and staff read out (on the phone, on a receipt)."""
        return f"{self.pk:06d}" if self.pk else ""

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


PUBLIC_STATUSES = (Listing.Status.PUBLISHED, Listing.Status.RESERVED)


class _InLiteral(In):
    """`field IN ('a', 'b')` with the values written into the SQL instead of bound as parameters.

    SQLite uses a partial index only when the query repeats the index's condition literally, and
    Django binds every value as a parameter: with `status__in=...` SQLite sorts every public
    listing for each page. The values are our own status constants, never user input."""

    def process_rhs(self, compiler, connection):
        values = [str(value) for value in self.rhs]
        if not all(re.fullmatch(r"[a-z_]+", value) for value in values):
            raise ValueError("only status constants may be written into SQL")
        return "(" + ", ".join(f"'{value}'" for value in values) + ")", ()


# Published or reserved, in the form the partial indexes above can serve on both databases:
# Listing.objects.filter(IS_PUBLIC).
IS_PUBLIC = _InLiteral(F("status"), list(PUBLIC_STATUSES))


def _random_photo_name(kind: str) -> str:
    # Random names: a photo's URL says nothing about the listing, the poster or the file.
    return f"listings/{kind}/{secrets.token_hex(1)}/{secrets.token_urlsafe(18)}.jpg"


def photo_display_path(instance: "Photo", filename: str) -> str:
    return _random_photo_name("display")


def photo_thumb_path(instance: "Photo", filename: str) -> str:
    return _random_photo_name("thumb")


class PhotoFieldFile(models.fields.files.ImageFieldFile):
    """A stored photo whose URL is the site's own photo view (listings.views.photo), never the
    storage's: the storage is private, and the view serves the file only while the listing may
    be seen (listings.selectors.photo_for_viewer), so a URL published while the listing was
    public stops working when it leaves public view and works again when it comes back."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("listing_photo", args=[self.name])


class PhotoField(models.ImageField):
    """An ImageField whose files answer .url with the site's photo view."""

    attr_class = PhotoFieldFile


class Photo(models.Model):
    """A cleaned photo: metadata stripped, resized, stored under a random name. Position 0 is the cover."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = PhotoField(_("photo"), upload_to=photo_display_path)
    thumbnail = PhotoField(upload_to=photo_thumb_path)
    thumbnail_bytes = models.PositiveIntegerField(default=0)  # for feed enclosures, without asking the storage
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["listing", "position"], name="photo_listing_order"),
            # the photo view finds a photo by the file name in its URL
            models.Index(fields=["image"], name="photo_image_name"),
            models.Index(fields=["thumbnail"], name="photo_thumbnail_name"),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} of listing {self.listing_id}"


class PhotoUpload(models.Model):
    """A cleaned photo waiting for its listing: uploaded as soon as it is chosen (or kept from a
    form that came back with an error), before the listing exists. The form refers to it by `key`;
    only the uploader may use or see it: a signed-in resident (`owner`) or a visitor still to sign
    up (`visitor`, a random token in their session). Its files are named like a listing's photos
    and become the photo's own files when the listing is saved; uploads left unused are deleted
    after LISTING_UPLOAD_MAX_HOURS (listings.uploads.uploads_prune)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.CharField(max_length=100, blank=True)  # the chosen file's name, shown to the uploader only
    image = models.ImageField(upload_to=photo_display_path)
    thumbnail = models.ImageField(upload_to=photo_thumb_path)
    thumbnail_bytes = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Photo upload {self.key}"


class ListingDraft(models.Model):
    """A listing a resident began outside the form, by sending photos and a description to the
    ward's LINE account (lineoa): the keys of its uploads and the text. The listing form starts
    from it (listings.views.create) and a posted listing ends it; like its uploads, it is deleted
    after UPLOAD_MAX_AGE (listings.uploads)."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    upload_keys = models.JSONField(default=list, blank=True)  # PhotoUpload keys, in the order sent
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Listing draft of {self.owner_id}"


class NotInterested(models.Model):
    """A resident hid this listing from their search results and alerts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "listing"], name="not_interested_once")]


class ListingRules(models.Model):
    """The rules staff edit on the staff console (one row): price cap, expiry, when listings wait
    for review, and the prohibited-item rules shown on the listing form. First created from the
    LISTING_* settings; listings.rules reads it."""

    price_cap = models.PositiveIntegerField(_("price cap (yen)"))
    expiry_days = models.PositiveSmallIntegerField(_("days until a listing expires"))
    review_all = models.BooleanField(_("review every new listing"), default=False)
    review_new_accounts_days = models.PositiveSmallIntegerField(
        _("review listings of accounts younger than (days)"), default=0, help_text=_("0 turns this rule off.")
    )
    review_categories = models.ManyToManyField(
        Category, verbose_name=_("review listings in these categories"), blank=True, related_name="+"
    )
    review_ng_words = models.BooleanField(_("review listings containing NG words"), default=False)
    prohibited_items = models.TextField(
        _("prohibited items"), blank=True, help_text=_("Shown on the listing form, one rule per line.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listing rules")
        verbose_name_plural = _("listing rules")
        constraints = [models.CheckConstraint(condition=Q(expiry_days__gte=1), name="rules_expiry_positive")]

    def __str__(self) -> str:
        return "Listing rules"


class ListingReport(Report):
    """A resident reports a listing; it waits in the staff reports queue (moderation/)."""

    class Reason(models.TextChoices):
        PROHIBITED = "prohibited", _("An item that cannot be listed")
        SCAM = "scam", _("Fraud or asking for money")
        PROFIT = "profit", _("Reselling for profit")
        PERSONAL_INFO = "personal_info", _("Personal information")
        INAPPROPRIATE = "inappropriate", _("Inappropriate text or photos")
        OTHER = "other", _("Other")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta(Report.Meta):
        constraints = [*Report.Meta.constraints, models.UniqueConstraint(fields=["listing", "reporter"], name="listing_report_once")]
