import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from listings.models import Listing, Photo
from listings.photos import process_photo
from listings.services import listing_update, listings_expire
from tests.factories import jpeg_bytes, listing_data, make_listing


@pytest.mark.django_db
def test_a_listing_is_created_with_photos_in_order_and_a_cover(alice):
    listing = make_listing(alice, photos=3)
    photos = list(listing.photos.all())
    assert [p.position for p in photos] == [0, 1, 2]
    assert listing.photo_count == 3
    for photo in photos:
        assert photo.image.storage.exists(photo.image.name)
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
        assert photo.image.name.startswith("listings/display/") and photo.image.name.endswith(".jpg")


@pytest.mark.django_db
def test_the_price_cap_is_enforced_and_nothing_is_saved(alice, settings):
    settings.LISTING_PRICE_CAP = 5000
    with pytest.raises(ValidationError) as exc:
        make_listing(alice, price=5001, photos=1)
    assert "price" in exc.value.error_dict
    assert not Listing.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_more_than_the_photo_limit_is_refused(alice, settings):
    settings.LISTING_MAX_PHOTOS = 2
    with pytest.raises(ValidationError):
        make_listing(alice, photos=3)
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_edit_removes_reorders_picks_the_cover_and_adds_photos(alice, django_capture_on_commit_callbacks):
    listing = make_listing(alice, photos=3)
    first, second, third = listing.photos.all()
    removed_file = second.image.name
    new = process_photo(io.BytesIO(jpeg_bytes(colour=(1, 2, 3))))
    with django_capture_on_commit_callbacks(execute=True):  # removed files go once the edit commits
        listing_update(
            listing=listing,
            actor=alice,
            data=listing_data(title="新しいタイトル"),
            new_photos=[new],
            remove_photo_ids={second.pk},
            order=[first.pk, third.pk],
            cover_id=third.pk,
        )
    listing.refresh_from_db()
    photos = list(listing.photos.all())
    assert listing.title == "新しいタイトル"
    assert [p.pk for p in photos[:2]] == [third.pk, first.pk]
    assert [p.position for p in photos] == [0, 1, 2]
    assert listing.photo_count == 3
    assert not second.image.storage.exists(removed_file)


@pytest.mark.django_db
def test_nobody_edits_what_is_not_theirs(alice, bob):
    listing = make_listing(alice)
    with pytest.raises(PermissionDenied):
        listing_update(listing=listing, actor=bob, data=listing_data(title="乗っ取り"))
    listing.refresh_from_db()
    assert listing.title == "木製の本棚"


@pytest.mark.django_db
def test_expiry_closes_listings_past_their_period_and_renew_reopens_them(alice):
    old = make_listing(alice, title="古い")
    fresh = make_listing(alice, title="新しい")
    Listing.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("expire_listings")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Listing.Status.EXPIRED, Listing.Status.PUBLISHED)
    assert listings_expire() == 0  # nothing left to expire


@pytest.mark.django_db
def test_posting_is_rate_limited_per_day_with_a_clear_message(bob_client, bob, settings):
    from django.urls import reverse

    from accounts.models import PostalCode
    from listings.models import Category, Listing

    settings.LISTING_CREATE_PER_DAY = 2
    form = {"kind": "offer", "title": "本棚", "description": "譲ります", "category": Category.objects.get(slug="books").pk,
            "condition": "good", "price": "0", "town": PostalCode.objects.get(code="1040052").town_id}
    for _ in range(2):
        assert bob_client.post(reverse("listings:create"), form).status_code == 302
    bob_client.cookies["django_language"] = "en"
    response = bob_client.post(reverse("listings:create"), form)
    assert response.status_code == 429 and "at most 2 listings a day" in response.content.decode()
    assert Listing.objects.filter(owner=bob).count() == 2
