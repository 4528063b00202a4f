"""Listing forms: content, several photos (add, remove, reorder, cover)."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from core.contacts import ContactDetail
from core.forms import LineField, TextField, contact_details_check, send_anyway_field
from core.text import text_normalise
from core.ratelimit import RateLimited
from listings import photos as pipeline
from listings.models import Category, Listing, ListingReport, Photo, PhotoUpload
from listings.rules import rules_current
from listings.services import ListingData, photos_process
from listings.uploads import Uploader, upload_store, uploads_find


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; each is decoded and cleaned by the photo pipeline in the form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UploadKeysField(forms.Field):
    """The keys of photos already in the upload area (listings.uploads), one checkbox each: a
    photo is used while its box stays ticked."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(item)[:64] for item in values[:100]]


class YenField(forms.IntegerField):
    """A whole number of yen as people write it: "1,000", "１，０００", "1000円", "¥1,000"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s,円¥]", "", text_normalise(value))
        return super().to_python(value)


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Listing.Kind.choices, widget=forms.RadioSelect)
    title = LineField(label=_("Title"), max_length=60)
    description = TextField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Size, colour, how it was used, and when you can hand it over. Never write your address or phone number."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=_("Choose a category")
    )
    condition = forms.ChoiceField(  # none preselected: the poster says what state the item is in
        label=_("Condition"),
        choices=[("", _("Choose the condition")), *Listing.Condition.choices],
        error_messages={"required": _("Choose the condition of the item.")},
    )
    price = YenField(
        label=_("Price (yen)"),
        min_value=0,
        initial=0,
        help_text=_("0 means free."),
        # Text, not type=number: browsers empty a number field that holds "1,000".
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    town = forms.ModelChoiceField(
        label=_("Town for pickup"),
        queryset=Town.objects.all(),
        help_text=_("Only the town is shown, never your address."),
    )
    send_anyway = send_anyway_field()
    uploads = UploadKeysField(required=False)
    photos = MultiplePhotoField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG, PNG, WebP or HEIC. Location data is removed from every photo."),
    )

    def __init__(self, *args, existing_photos: list[Photo] = (), uploader: Uploader | None = None, visitor: bool = False, **kwargs):
        """`uploader`: photos go through the upload area, so a form that comes back keeps them
        (the resident's form); without one, chosen files are only processed (staff's forms).
        `visitor`: not signed in yet; the town comes from the sign-up."""
        super().__init__(*args, **kwargs)
        self.existing_photos = list(existing_photos)
        self.uploader = uploader
        self.kept_uploads: list[PhotoUpload] = []
        if visitor:
            del self.fields["town"]
        if uploader is None:
            del self.fields["uploads"]
        elif not self.is_bound and self.initial.get("uploads"):  # a form restored after sign-up
            self.kept_uploads, _missing = uploads_find(uploader, self.initial["uploads"])
        self.contact_details: list[ContactDetail] = []
        rules = rules_current()  # read per form: staff may change the cap and the rules
        self.prohibited_items = [line.strip() for line in rules.prohibited_items.splitlines() if line.strip()]
        self.price_cap = rules.price_cap
        self.fields["photos"].help_text = _(
            "Up to %(n)s photos, %(mb)s MB each: JPEG, PNG, WebP or HEIC. Location data is removed from every photo."
        ) % {"n": settings.LISTING_MAX_PHOTOS, "mb": settings.LISTING_PHOTO_MAX_BYTES // (1024 * 1024)}
        for photo in self.existing_photos:
            self.fields[f"order_{photo.pk}"] = forms.IntegerField(
                label=_("Order"), min_value=1, max_value=99, initial=photo.position + 1, required=False
            )
            self.fields[f"remove_{photo.pk}"] = forms.BooleanField(label=_("Remove"), required=False)
        if self.existing_photos:
            self.fields["cover"] = forms.TypedChoiceField(
                label=_("Cover photo"),
                choices=[(p.pk, p.pk) for p in self.existing_photos],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=self.existing_photos[0].pk,
            )

    def upload_limits(self) -> dict:
        """The server's limits and messages, for the checks made in the browser before uploading."""
        max_bytes, max_pixels = settings.LISTING_PHOTO_MAX_BYTES, settings.LISTING_PHOTO_MAX_PIXELS
        return {
            "max_bytes": max_bytes,
            "max_pixels": max_pixels,
            "max_photos": settings.LISTING_MAX_PHOTOS,
            "msg_type": pipeline.NOT_AN_IMAGE,
            "msg_size": pipeline.FILE_TOO_LARGE % {"limit": f"{max_bytes / pipeline.MEGABYTE:.1f}".removesuffix(".0")},
            "msg_pixels": pipeline.TOO_MANY_PIXELS % {"limit": f"{max_pixels / 1_000_000:g}"},
            "msg_damaged": pipeline.DAMAGED_IMAGE,
            "msg_count": _("A listing can have at most %(n)s photos.") % {"n": settings.LISTING_MAX_PHOTOS},
        }

    def photo_rows(self) -> list[dict]:
        """Bound fields per existing photo, for the template."""
        cover = self["cover"] if self.existing_photos else None
        radios = {int(r.data["value"]): r for r in cover} if cover is not None else {}
        return [
            {"photo": p, "order": self[f"order_{p.pk}"], "remove": self[f"remove_{p.pk}"], "cover": radios.get(p.pk)}
            for p in self.existing_photos
        ]

    def clean_price(self) -> int:
        price = self.cleaned_data["price"]
        if price > self.price_cap:
            raise ValidationError(
                _("The price can be at most %(cap)s yen. This service is not for profit.") % {"cap": f"{self.price_cap:,}"},
                code="max_value",
            )
        return price

    def clean_uploads(self) -> list[PhotoUpload]:
        found, missing = uploads_find(self.uploader, self.cleaned_data["uploads"])
        self.kept_uploads = found
        if missing:
            raise ValidationError(
                _("%(n)s of the photos you added are no longer available (kept for 24 hours). Please add them again.")
                % {"n": missing}
            )
        return found

    def clean_photos(self):
        uploads = self.cleaned_data["photos"]
        if len(uploads) > settings.LISTING_MAX_PHOTOS:
            raise ValidationError(_("You can add at most %(n)s photos.") % {"n": settings.LISTING_MAX_PHOTOS})
        errors = []
        processed = []
        for upload in uploads:
            try:
                if self.uploader is None:
                    processed.extend(photos_process([upload]))
                else:  # kept at once: whatever else is wrong with the form, this photo is not lost
                    stored = upload_store(self.uploader, upload, name=upload.name)
                    processed.append(stored)
                    self.kept_uploads.append(stored)
            except ValidationError as exc:
                errors.extend(f"{upload.name}: {message}" for message in exc.messages)
            except RateLimited as exc:
                errors.append(f"{upload.name}: {exc.message}")
        if errors:
            again = _("Please choose these photos again.") if self.uploader is None else _("The other photos are kept.")
            raise ValidationError(errors + [str(again)])
        return processed

    def new_photos(self) -> list:
        """The photos to add, in order: uploads first, then files sent with the form."""
        if self.uploader is None:
            return self.cleaned_data["photos"]
        return list(dict.fromkeys([*self.cleaned_data.get("uploads", []), *self.cleaned_data["photos"]]))

    def clean(self):
        cleaned = super().clean()
        removed = self.removed_photo_ids()
        kept = len(self.existing_photos) - len(removed) + len(cleaned.get("uploads") or [])
        if kept + len(cleaned.get("photos") or []) > settings.LISTING_MAX_PHOTOS:
            self.add_error("photos", _("A listing can have at most %(n)s photos.") % {"n": settings.LISTING_MAX_PHOTOS})
        # Sent anyway, the listing waits for staff: listings.rules.review_reasons.
        contact_details_check(self, ("title", "description"))
        return cleaned

    def removed_photo_ids(self) -> set[int]:
        return {p.pk for p in self.existing_photos if self.cleaned_data.get(f"remove_{p.pk}")}

    def photo_order(self) -> list[int]:
        """Existing photo ids in the order the poster chose (ties keep the current order)."""
        def key(photo: Photo):
            value = self.cleaned_data.get(f"order_{photo.pk}")
            return (value if value is not None else photo.position + 1, photo.position)

        return [p.pk for p in sorted(self.existing_photos, key=key)]

    def listing_data(self) -> ListingData:
        c = self.cleaned_data
        return ListingData(
            kind=c["kind"],
            title=c["title"],
            description=c["description"],
            category=c["category"],
            condition=c["condition"],
            price=c["price"],
            town=c.get("town"),
        )

    def draft(self) -> dict:
        """What a visitor filled in, for the session until they have signed up (listings.views.create)."""
        c = self.cleaned_data
        return {
            "kind": c["kind"], "title": c["title"], "description": c["description"], "category": c["category"].pk,
            "condition": c["condition"], "price": c["price"], "uploads": [str(upload.key) for upload in self.new_photos()],
        }

    @classmethod
    def initial_for(cls, listing: Listing) -> dict:
        return {
            "kind": listing.kind,
            "title": listing.title,
            "description": listing.description,
            "category": listing.category_id,
            "condition": listing.condition,
            "price": listing.price,
            "town": listing.town_id,
        }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ListingReport.Reason.choices, widget=forms.RadioSelect)
    note = TextField(label=_("Details (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
