"""The upload area: photos stored as soon as they are chosen, before their listing exists, so a
form that comes back with an error, or a visitor who signs up first, loses none of them.

A photo goes through the same pipeline as any listing photo (listings.photos) before it is kept;
only the one who uploaded it may refer to it: a signed-in resident by their account, a visitor by
a random token kept in their session. The listing form names its uploads by key; the listing
services then take over the files (listings.services._store_photos). Unused uploads are deleted
after UPLOAD_MAX_AGE.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ratelimit import Limit, rate_limit
from listings.models import ListingDraft, PhotoUpload
from listings.photos import process_photo
from listings.services import photo_files_delete

UPLOAD_MAX_AGE = timedelta(hours=24)
VISITOR_SESSION_KEY = "listing_visitor"
# Photos waiting at one time for one uploader: a few listings' worth, never a free file store.
PENDING_MAX = 30


@dataclass(frozen=True)
class Uploader:
    """Who uploads: a signed-in account (`owner_id`) or a visitor's session token."""

    owner_id: int | None = None
    visitor: str = ""

    def uploads(self):
        if self.owner_id is not None:
            return PhotoUpload.objects.filter(owner_id=self.owner_id)
        if self.visitor:
            return PhotoUpload.objects.filter(visitor=self.visitor, owner=None)
        return PhotoUpload.objects.none()

    @property
    def rate_key(self) -> str:
        return f"user-{self.owner_id}" if self.owner_id is not None else f"visitor-{self.visitor}"


def uploader_for(request: HttpRequest, *, create: bool = False) -> Uploader:
    """The request's uploader; a visitor gets a session token when `create` is set."""
    if request.user.is_authenticated:
        return Uploader(owner_id=request.user.pk)
    visitor = request.session.get(VISITOR_SESSION_KEY, "")
    if not visitor and create:
        visitor = request.session[VISITOR_SESSION_KEY] = secrets.token_urlsafe(24)
    return Uploader(visitor=visitor)


def upload_store(uploader: Uploader, file: BinaryIO, *, name: str = "", address: str = "") -> PhotoUpload:
    """Clean one chosen photo and keep it for the uploader; ValidationError with the pipeline's
    message when it is not a photo we accept, RateLimited when they upload too much."""
    if uploader.uploads().filter(created_at__gte=timezone.now() - UPLOAD_MAX_AGE).count() >= PENDING_MAX:
        raise ValidationError(_("You have too many photos waiting. Post your listing or remove some photos first."))
    hourly = _("You have uploaded many photos in a short time. Please wait a while and try again.")
    limits = [Limit("photo_upload", PENDING_MAX * 2, timedelta(hours=1), hourly)]
    rate_limit(uploader.rate_key, *limits)
    if uploader.owner_id is None and address:  # visitors also count per network address
        rate_limit(f"address-{address}", Limit("photo_upload_address", PENDING_MAX * 4, timedelta(hours=1), hourly))
    processed = process_photo(file, max_bytes=settings.LISTING_PHOTO_MAX_BYTES)
    upload = PhotoUpload(
        owner_id=uploader.owner_id,
        visitor="" if uploader.owner_id is not None else uploader.visitor,
        name=(name or "")[:100],
        width=processed.width,
        height=processed.height,
        thumbnail_bytes=len(processed.thumbnail),
    )
    upload.image.save("photo.jpg", ContentFile(processed.display), save=False)
    upload.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
    try:
        upload.save()
    except BaseException:
        photo_files_delete(upload)
        raise
    return upload


def uploads_find(uploader: Uploader, keys: list[str]) -> tuple[list[PhotoUpload], int]:
    """The uploader's uploads named by `keys`, in that order, and how many keys named none
    (expired, used already, or never theirs)."""
    wanted = []
    for key in keys:
        try:
            wanted.append(uuid.UUID(str(key)))
        except ValueError:
            continue
    fresh = uploader.uploads().filter(key__in=wanted, created_at__gte=timezone.now() - UPLOAD_MAX_AGE)
    by_key = {upload.key: upload for upload in fresh}
    found = list(dict.fromkeys(by_key[key] for key in wanted if key in by_key))
    return found, len(set(keys)) - len(found)


def uploads_claim(uploader: Uploader, owner_id: int) -> int:
    """A visitor who signed up: their uploads become their account's. Returns how many."""
    if uploader.owner_id is not None or not uploader.visitor:
        return 0
    return PhotoUpload.objects.filter(visitor=uploader.visitor, owner=None).update(owner_id=owner_id, visitor="")


def uploads_forget(owner_id: int) -> int:
    """Delete a resident's pending uploads and draft at once (their account is being deleted)."""
    ListingDraft.objects.filter(owner_id=owner_id).delete()
    pending = list(PhotoUpload.objects.filter(owner_id=owner_id))
    PhotoUpload.objects.filter(pk__in=[upload.pk for upload in pending]).delete()
    for upload in pending:
        photo_files_delete(upload)
    return len(pending)


def uploads_prune(*, now=None) -> int:
    """Delete uploads older than UPLOAD_MAX_AGE that no listing took (rows, then their files), and
    the drafts left as long."""
    cutoff = (now or timezone.now()) - UPLOAD_MAX_AGE
    ListingDraft.objects.filter(updated_at__lt=cutoff).delete()
    stale = list(PhotoUpload.objects.filter(created_at__lt=cutoff))
    PhotoUpload.objects.filter(pk__in=[upload.pk for upload in stale]).delete()
    for upload in stale:
        photo_files_delete(upload)
    return len(stale)


# --- A listing begun outside the form (photos and text sent to the ward's LINE account) ----------

DESCRIPTION_MAX = 2000  # the form's description field


def draft_of(owner_id: int) -> ListingDraft | None:
    """The resident's draft, unless it has waited longer than its uploads are kept."""
    return ListingDraft.objects.filter(owner_id=owner_id, updated_at__gte=timezone.now() - UPLOAD_MAX_AGE).first()


def draft_photo_add(owner_id: int, file: BinaryIO, *, name: str = "") -> ListingDraft:
    """Store one photo as the resident's upload (upload_store: the pipeline and its limits) and
    add it to their draft, starting a new one when there is none; ValidationError when the photo
    is refused or the draft has its listing's worth of photos, RateLimited as upload_store."""
    draft = draft_of(owner_id)
    if draft is not None and len(uploads_find(Uploader(owner_id=owner_id), draft.upload_keys)[0]) >= settings.LISTING_MAX_PHOTOS:
        raise ValidationError(
            _("A listing can have at most %(n)s photos. Open the form to post this one.") % {"n": settings.LISTING_MAX_PHOTOS},
            code="draft_full",
        )
    upload = upload_store(Uploader(owner_id=owner_id), file, name=name)
    with transaction.atomic():  # photos sent together arrive together: none may lose another's key
        ListingDraft.objects.filter(owner_id=owner_id, updated_at__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
        draft, _created = ListingDraft.objects.select_for_update().get_or_create(owner_id=owner_id)
        draft.upload_keys = [*draft.upload_keys, str(upload.key)]
        draft.updated_at = timezone.now()
        draft.save()
    return draft


def draft_describe(owner_id: int, text: str) -> ListingDraft | None:
    """Add a text to the draft's description (a resident may send it in several messages); None
    when there is no draft to describe."""
    with transaction.atomic():
        draft = ListingDraft.objects.select_for_update().filter(owner_id=owner_id, updated_at__gte=timezone.now() - UPLOAD_MAX_AGE).first()
        if draft is None:
            return None
        draft.description = "\n".join(part for part in (draft.description, text.strip()) if part)[:DESCRIPTION_MAX]
        draft.updated_at = timezone.now()
        draft.save(update_fields=["description", "updated_at"])
    return draft


def draft_initial(owner_id: int) -> dict:
    """What the listing form starts from: the draft's photos (those still waiting) and text."""
    draft = draft_of(owner_id)
    if draft is None:
        return {}
    found, _missing = uploads_find(Uploader(owner_id=owner_id), draft.upload_keys)
    return {"uploads": [str(upload.key) for upload in found], "description": draft.description}


def draft_discard(owner_id: int) -> None:
    """The listing is posted (or the resident started again): the draft is done."""
    ListingDraft.objects.filter(owner_id=owner_id).delete()
