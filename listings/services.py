"""Every write about listings: create, edit, photos, status transitions, expiry."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Town, User
from core.dates import format_day
from core.mail import email_send
from core.ratelimit import Limit, rate_limit
from core.reports import report_rate_limit
from listings import search
from listings.lifecycle import AWAY_TRANSITIONS, EDITABLE_STATUSES, Action, State, can_transition, next_state
from listings.models import PUBLIC_FIELDS, Category, Listing, ListingReport, NotInterested, Photo, PhotoUpload
from listings.photos import ProcessedPhoto, process_photo
from listings.rules import review_reasons, rules_current
from listings.signals import listing_transitioned, listing_updated
from listings.tasks import email_expired_listings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListingData:
    """The editable content of a listing, as a form or the demo loader gives it."""

    kind: str
    title: str
    description: str
    category: Category
    condition: str
    price: int
    town: Town


def _validate(listing: Listing) -> None:
    cap = rules_current().price_cap
    if listing.price > cap:
        raise ValidationError(
            {"price": _("The price can be at most %(cap)s yen. This service is not for profit.") % {"cap": f"{cap:,}"}}
        )
    if not listing.category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    listing.full_clean(exclude=["owner"])


def _apply(listing: Listing, data: ListingData) -> None:
    listing.kind = data.kind
    listing.title = data.title.strip()
    listing.description = data.description.strip()
    listing.search_text, listing.search_grams = search.document(listing.title, listing.description)
    listing.category = data.category
    listing.condition = data.condition
    listing.price = data.price
    listing.town = data.town


def photos_process(uploads: list[BinaryIO]) -> list[ProcessedPhoto]:
    """Decode and clean every upload before anything is stored, so one bad file stores nothing."""
    return [process_photo(upload, max_bytes=settings.LISTING_PHOTO_MAX_BYTES) for upload in uploads]


def _store_photos(listing: Listing, photos: list[ProcessedPhoto | PhotoUpload], start: int) -> None:
    """Add photos at `start`: freshly processed ones are written; uploads (listings.uploads) hand
    over their files, already written, and leave the upload area."""
    stored: list[Photo] = []
    try:
        for offset, processed in enumerate(photos):
            photo = Photo(listing=listing, position=start + offset, width=processed.width, height=processed.height)
            if isinstance(processed, PhotoUpload):
                photo.image.name, photo.thumbnail.name = processed.image.name, processed.thumbnail.name
                photo.thumbnail_bytes = processed.thumbnail_bytes
                photo.save()
                processed.delete()
                continue
            photo.thumbnail_bytes = len(processed.thumbnail)
            photo.image.save("photo.jpg", ContentFile(processed.display), save=False)
            photo.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
            stored.append(photo)
            photo.save()
    except BaseException:
        for photo in stored:  # the transaction rolls back the rows; remove the files too (an upload keeps its own)
            photo_files_delete(photo)
        raise


def photo_files_delete(photo: Photo | PhotoUpload) -> None:
    """Delete both renditions of a photo or an upload from the storage (a failure is logged)."""
    for field in (photo.image, photo.thumbnail):
        if field.name:
            try:
                field.storage.delete(field.name)
            except OSError:
                logger.warning("Could not delete photo file %s", field.name)


def _public(listing: Listing) -> tuple:
    return tuple(getattr(listing, field.attname) for field in map(Listing._meta.get_field, PUBLIC_FIELDS))


def listing_photos_remove(*, listing: Listing) -> int:
    """Delete a listing's photos (rows now, files after commit), for retention; returns how many."""
    removed = list(listing.photos.all())
    Photo.objects.filter(pk__in=[p.pk for p in removed]).delete()
    _refresh_photo_count(listing)
    transaction.on_commit(lambda: [photo_files_delete(p) for p in removed])
    return len(removed)


def _refresh_photo_count(listing: Listing) -> None:
    listing.photo_count = listing.photos.count()
    Listing.objects.filter(pk=listing.pk).update(photo_count=listing.photo_count)


def _check_create_rate(owner: User) -> None:
    """At most LISTING_CREATE_PER_DAY new listings per account in 24 hours (core.ratelimit)."""
    limit = settings.LISTING_CREATE_PER_DAY
    message = _("You can post at most %(n)s listings a day.") % {"n": limit}
    rate_limit(owner.pk, Limit("listing_create", limit, timedelta(days=1), message))


def listing_create(
    *, owner: User, data: ListingData, photos: list[ProcessedPhoto | PhotoUpload] = (), publish: bool = True, check_rate: bool = True
) -> Listing:
    """Create a listing with its photos; submit it at once unless `publish` is False (a draft).

    Residents are rate limited; staff registering postcards and the demo loader pass check_rate=False.
    """
    if check_rate:
        _check_create_rate(owner)
    if len(photos) > settings.LISTING_MAX_PHOTOS:
        raise ValidationError(_("A listing can have at most %(n)s photos.") % {"n": settings.LISTING_MAX_PHOTOS})
    listing = Listing(owner=owner, status=Listing.Status.DRAFT)
    _apply(listing, data)
    _validate(listing)
    with transaction.atomic():
        listing.save()
        _store_photos(listing, list(photos), start=0)
        _refresh_photo_count(listing)
        if publish:
            listing = listing_submit(listing=listing, actor=owner)
    return listing


def listing_update(
    *,
    listing: Listing,
    actor: User,
    data: ListingData,
    new_photos: list[ProcessedPhoto | PhotoUpload] = (),
    remove_photo_ids: set[int] = frozenset(),
    order: list[int] | None = None,
    cover_id: int | None = None,
) -> Listing:
    """Edit content and photos: remove, reorder (ids in display order), pick the cover, add new ones.

    A public listing whose text, category or photos change goes back to staff review when a review
    rule applies to it now (NG words, a reviewed category, review of everything), so an approved
    listing cannot be edited into something staff never saw.
    """
    if listing.owner_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status not in EDITABLE_STATUSES:
            raise ValidationError(_("This listing is closed and can no longer be edited."))
        before, public_before = _reviewed_content(listing), _public(listing)
        _apply(listing, data)
        _validate(listing)
        existing = list(listing.photos.all())
        keep = [p for p in existing if p.pk not in remove_photo_ids]
        if len(keep) + len(new_photos) > settings.LISTING_MAX_PHOTOS:
            raise ValidationError(_("A listing can have at most %(n)s photos.") % {"n": settings.LISTING_MAX_PHOTOS})
        removed = [p for p in existing if p.pk in remove_photo_ids]
        rank = {pk: i for i, pk in enumerate(order or [])}
        keep.sort(key=lambda p: (p.pk != cover_id, rank.get(p.pk, len(rank) + p.position), p.pk))
        photos_changed = bool(removed or new_photos)
        for position, photo in enumerate(keep):
            if photo.position != position:
                photo.position = position
                photo.save(update_fields=["position"])
                photos_changed = True
        for photo in removed:
            photo.delete()
        _store_photos(listing, list(new_photos), start=len(keep))
        changed = photos_changed or _public(listing) != public_before  # saving the form unchanged is no change
        if changed:
            listing.updated_at = timezone.now()
        listing.save()
        _refresh_photo_count(listing)
        reasons = []
        if can_transition(listing.status, Action.RESUBMIT) and (new_photos or _reviewed_content(listing) != before):
            reasons = review_reasons(listing)
        if reasons:
            edited = _("edited after publication")
            listing.review_reasons = f"{edited}: {'; '.join(reasons)}"[:300]
            listing.save(update_fields=["review_reasons"])
            listing = listing_transition(listing=listing, action=Action.RESUBMIT, actor=actor)
        elif changed:
            listing_updated.send(sender=Listing, listing=listing, actor=actor)
        transaction.on_commit(lambda: [photo_files_delete(p) for p in removed])
    return listing


def _reviewed_content(listing: Listing) -> tuple:
    """What staff look at when they review a listing (photos apart)."""
    return (listing.kind, listing.title, listing.description, listing.category_id)


def listing_transition(*, listing: Listing, action: Action, actor: User | None = None, reason: str = "") -> Listing:
    """Apply one lifecycle action under a row lock; refuse it when the table does not allow it.

    Preconditions (authorisation) are checked by the caller's access function; this checks the
    state. Dates follow the state: publishing sets published_at and a fresh expiry. A listing
    hidden or sent to review remembers where it was and comes back there (listings.lifecycle).
    """
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        public_before = _public(locked)
        state = next_state(State(locked.status, locked.return_status), action)
        if state is None:
            raise ValidationError(
                _("This cannot be done while the listing is “%(status)s”.") % {"status": locked.get_status_display()},
                code="invalid_transition",
            )
        locked.return_status = state.return_status
        if state.status == locked.status and action in AWAY_TRANSITIONS:
            # Only what it returns to changed (its reservation ended while it was away): the
            # listing's status did not, so nobody is told about a status change.
            locked.save(update_fields=["return_status"])
            return locked
        now = timezone.now()
        # An edit sent back to review and approved while its period runs keeps its dates: approval
        # is not a free renewal and does not make it the newest listing again.
        keeps_dates = action == Action.APPROVE and locked.published_at and locked.expires_at and locked.expires_at > now
        if state.status == Listing.Status.PUBLISHED and action not in (Action.RELEASE, Action.UNHIDE) and not keeps_dates:
            # Publishing, approval and renewal start a fresh period; a renewed listing is new again.
            locked.published_at = now
            locked.first_published_at = locked.first_published_at or now
            locked.expires_at = now + timedelta(days=rules_current().expiry_days)
            locked.expiry_reminded_at = None  # a new period gets its own reminder
            locked.rejection_reason = ""
        if action in (Action.REJECT, Action.HIDE):
            locked.rejection_reason = reason.strip()  # the poster reads staff's reason
        if action == Action.UNHIDE:
            locked.rejection_reason = ""
        locked.status = state.status
        locked.status_changed_at = now
        if _public(locked) != public_before:
            locked.updated_at = now
        locked.save()
        listing_transitioned.send(sender=Listing, listing=locked, action=action, actor=actor)
    return locked


def listing_submit(*, listing: Listing, actor: User) -> Listing:
    """Send a draft (or an edited rejected listing) on: straight to published, or to review when
    a rule asks for it (listings.rules.review_reasons); staff see the reasons in their queue."""
    reasons = review_reasons(listing)
    if reasons:
        Listing.objects.filter(pk=listing.pk).update(review_reasons="; ".join(reasons)[:300])
        return listing_transition(listing=listing, action=Action.SUBMIT_FOR_REVIEW, actor=actor)
    return listing_transition(listing=listing, action=Action.PUBLISH, actor=actor)


def listings_expire(*, now=None) -> int:
    """Expire every published listing whose expiry time has passed; returns how many.

    Owners who want listing emails get one email per run naming all their expired listings, sent
    by a task after commit (no SMTP call while a row is locked).
    """
    now = now or timezone.now()
    expired: dict[int, list[int]] = defaultdict(list)  # owner id → listing ids
    rows = Listing.objects.filter(status=Listing.Status.PUBLISHED, expires_at__lte=now).values_list("pk", "owner_id")
    for pk, owner_id in rows.iterator():
        try:
            listing_transition(listing=Listing(pk=pk), action=Action.EXPIRE)
        except ValidationError:
            continue  # changed state since the query (reserved, withdrawn): nothing to expire
        expired[owner_id].append(pk)
    _schedule_expiry_emails(expired)
    return sum(len(ids) for ids in expired.values())


def _schedule_expiry_emails(expired: dict[int, list[int]]) -> None:
    owners = User.objects.filter(pk__in=expired, notify_listings=True, is_active=True, deleted_at__isnull=True)
    for owner_id in owners.values_list("pk", flat=True):
        transaction.on_commit(
            partial(email_expired_listings.enqueue, owner_id=owner_id, listing_ids=expired[owner_id]), robust=True
        )  # robust: a task queue that fails logs it and does not fail the expiry run


def listings_expired_email_send(*, owner_id: int, listing_ids: list[int]) -> bool:
    """Email an owner who wants listing emails about those of `listing_ids` that are still expired,
    with the link to renew them; returns whether an email went out."""
    owner = User.objects.filter(pk=owner_id, notify_listings=True, is_active=True, deleted_at__isnull=True).first()
    if owner is None:
        return False
    listings = list(Listing.objects.filter(pk__in=listing_ids, owner=owner, status=Listing.Status.EXPIRED).order_by("pk"))
    if not listings:
        return False  # renewed or withdrawn since
    context = {
        "listings": listings,
        "site_url": settings.SITE_URL,
        "mine_url": settings.SITE_URL + reverse("listings:mine"),
        "settings_url": settings.SITE_URL + reverse("accounts:profile"),
    }
    email_send(to=owner.email, template="listings/email/expired", context=context)
    return True


def listing_renew_opens_at(listing: Listing) -> datetime | None:
    """When the owner may renew a published listing: LISTING_RENEW_WINDOW_DAYS before it expires
    (renewing a fresh listing would only push it to the top of "newest" again)."""
    if listing.expires_at is None:
        return None
    return listing.expires_at - timedelta(days=settings.LISTING_RENEW_WINDOW_DAYS)


def listing_can_renew(listing: Listing, *, now: datetime | None = None) -> bool:
    """Expired listings can always be renewed; published ones only near their expiry."""
    if listing.status == Listing.Status.EXPIRED:
        return True
    if listing.status != Listing.Status.PUBLISHED:
        return False
    opens_at = listing_renew_opens_at(listing)
    return opens_at is None or (now or timezone.now()) >= opens_at


def listing_renew(*, listing: Listing, actor: User) -> Listing:
    """The owner renews a listing for a fresh period: an expired one, or a published one within
    the renewal window before its expiry."""
    if listing.owner_id != actor.pk:
        raise PermissionDenied
    if listing.status == Listing.Status.PUBLISHED and not listing_can_renew(listing):
        raise ValidationError(
            _("This listing can be renewed from %(date)s, %(days)s days before it expires.")
            % {
                "date": format_day(listing_renew_opens_at(listing)),
                "days": settings.LISTING_RENEW_WINDOW_DAYS,
            },
            code="renew_too_early",
        )
    return listing_transition(listing=listing, action=Action.RENEW, actor=actor)


def listings_withdraw_all(*, owner: User) -> int:
    """Withdraw every open listing of an account (used when the account is deleted)."""
    count = 0
    open_statuses = [Listing.Status.DRAFT, Listing.Status.PENDING, Listing.Status.PUBLISHED, Listing.Status.RESERVED, Listing.Status.REJECTED]
    for listing in Listing.objects.filter(owner=owner, status__in=open_statuses):
        listing_transition(listing=listing, action=Action.WITHDRAW, actor=owner)
        count += 1
    return count


def search_index_rebuild(*, batch: int = 2000) -> int:
    """Recompute every listing's search text and grams (after a change to the normalisation)."""
    count = 0
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        rows = list(Listing.objects.filter(pk__in=ids[start : start + batch]).only("pk", "title", "description"))
        for row in rows:
            row.search_text, row.search_grams = search.document(row.title, row.description)
        Listing.objects.bulk_update(rows, ["search_text", "search_grams"])
        count += len(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO listings_listing_fts(listings_listing_fts) VALUES ('rebuild')")
    return count


def listing_not_interested(*, user: User, listing: Listing) -> None:
    """Hide a listing from this resident's search results and alerts."""
    NotInterested.objects.get_or_create(user=user, listing=listing)


def listing_report(*, listing: Listing, reporter: User, reason: str, note: str = "") -> ListingReport:
    """Report a public listing to staff; a second report by the same resident keeps the first."""
    if listing.owner_id == reporter.pk:
        raise ValidationError(_("You cannot report your own listing."), code="own_listing")
    if reason not in ListingReport.Reason.values:
        raise ValidationError(_("Choose a reason."), code="invalid_reason")
    note = (note or "").strip().replace("\x00", "")[:1000]
    report_rate_limit(reporter)
    report, _created = ListingReport.objects.get_or_create(
        listing=listing, reporter=reporter, defaults={"reason": reason, "note": note}
    )
    return report
