"""Photos are never lost (issue 18, point 1): they go to the upload area as soon as they are chosen
(the upload endpoint, used by static/js/photo-upload.js) or when a form comes back with an error,
and the form refers to them until the listing takes them. Only their uploader can see or use them;
unused ones are deleted after a day. The browser side is in test_photo_upload_browser.py."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from listings.models import Listing, Photo, PhotoUpload
from listings.uploads import uploads_prune
from tests.factories import jpeg_bytes, upload
from tests.listings.test_views import _form

pytestmark = pytest.mark.django_db


def kept_keys(page: str) -> list[str]:
    return re.findall(r'name="uploads" value="([0-9a-f-]{36})" checked', page)


def test_a_form_error_keeps_the_chosen_photos_and_the_second_try_publishes_them(alice_client, alice):
    response = alice_client.post(
        reverse("listings:create"), {**_form(title=""), "photos": [upload("a.jpg"), upload("b.jpg", jpeg_bytes(colour=(1, 2, 3)))]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Listing.objects.exists()
    keys = kept_keys(page)
    assert len(keys) == 2  # shown again, ticked, with their thumbnails: nothing to choose twice
    for key in keys:
        thumbnail = alice_client.get(reverse("listings:upload_thumbnail", args=[key]))
        assert thumbnail.status_code == 200 and thumbnail["Cache-Control"].startswith("private")

    response = alice_client.post(reverse("listings:create"), {**_form(), "uploads": keys})
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.photo_count == 2
    uploads_before = {str(key) for key in keys}
    assert not PhotoUpload.objects.filter(key__in=uploads_before).exists()  # taken over by the listing
    photos = list(listing.photos.all())
    assert all(default_storage.exists(photo.image.name) and default_storage.exists(photo.thumbnail.name) for photo in photos)
    assert alice_client.get(photos[0].image.url).status_code == 200


def test_a_photo_unticked_after_an_error_is_not_used(alice_client):
    response = alice_client.post(reverse("listings:create"), {**_form(title=""), "photos": [upload("a.jpg"), upload("b.jpg")]})
    first, _second = kept_keys(response.content.decode())
    alice_client.post(reverse("listings:create"), {**_form(), "uploads": [first]})
    assert Listing.objects.get().photo_count == 1


def test_with_a_broken_file_the_good_photos_are_kept_and_the_bad_one_is_named(alice_client):
    response = alice_client.post(
        reverse("listings:create"), {**_form(), "photos": [upload("good.jpg"), upload("fake.jpg", b"<html>not an image</html>")]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Listing.objects.exists()
    assert "fake.jpg" in page and "ほかの写真は保存されています" in page
    assert len(kept_keys(page)) == 1


def test_the_upload_endpoint_answers_with_a_key_and_a_thumbnail(alice_client):
    response = alice_client.post(reverse("listings:upload"), {"photo": upload("sofa.jpg")})
    assert response.status_code == 201
    answer = response.json()
    assert answer["name"] == "sofa.jpg"
    assert alice_client.get(answer["thumbnail"])["Content-Type"] == "image/jpeg"
    stored = PhotoUpload.objects.get(key=answer["key"])
    assert (stored.width, stored.height) == (800, 600)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"just some text, renamed", "対応していないファイル形式"),
        (b"", "ファイルが空です"),
        (jpeg_bytes((800, 600))[:-300], "読み込めませんでした"),
    ],
)
def test_the_upload_endpoint_refuses_what_is_not_a_photo_and_keeps_nothing(alice_client, content, message):
    response = alice_client.post(reverse("listings:upload"), {"photo": upload("note.jpg", content)})
    assert response.status_code == 400 and message in response.json()["error"]
    assert not PhotoUpload.objects.exists()


def test_the_upload_endpoint_refuses_a_photo_over_the_size_limit(alice_client, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 10_000
    response = alice_client.post(reverse("listings:upload"), {"photo": upload("big.jpg", jpeg_bytes((1200, 900)) + b"\0" * 20_000)})
    assert response.status_code == 400 and "大きすぎます" in response.json()["error"]
    assert alice_client.post(reverse("listings:upload")).json()["error"] == "写真を選んでください。"


def test_someone_elses_upload_cannot_be_seen_or_used(alice_client, bob_client, client):
    key = alice_client.post(reverse("listings:upload"), {"photo": upload()}).json()["key"]
    assert bob_client.get(reverse("listings:upload_thumbnail", args=[key])).status_code == 404
    assert client.get(reverse("listings:upload_thumbnail", args=[key])).status_code == 404
    response = bob_client.post(reverse("listings:create"), {**_form(), "uploads": [key]})
    assert response.status_code == 200 and "もう使えません" in response.content.decode()
    assert not Listing.objects.exists() and PhotoUpload.objects.filter(key=key).exists()


def test_an_account_that_cannot_post_cannot_upload(carol_client):
    response = carol_client.post(reverse("listings:upload"), {"photo": upload()})
    assert response.status_code == 403 and not PhotoUpload.objects.exists()


def test_the_photo_limit_counts_uploads_too(alice_client, settings):
    settings.LISTING_MAX_PHOTOS = 2
    keys = [alice_client.post(reverse("listings:upload"), {"photo": upload()}).json()["key"] for _ in range(2)]
    response = alice_client.post(reverse("listings:create"), {**_form(), "uploads": keys, "photos": [upload()]})
    assert response.status_code == 200 and "2枚まで" in response.content.decode()
    assert not Listing.objects.exists()


def test_editing_adds_uploaded_photos_after_the_existing_ones(alice_client, alice):
    from tests.factories import make_listing

    listing = make_listing(alice, photos=1)
    key = alice_client.post(reverse("listings:upload"), {"photo": upload()}).json()["key"]
    first = listing.photos.get()
    form = {**_form(), f"order_{first.pk}": "1", "cover": first.pk, "uploads": [key]}
    assert alice_client.post(reverse("listings:edit", args=[listing.pk]), form).status_code == 302
    assert [photo.pk for photo in listing.photos.all()][0] == first.pk and listing.photos.count() == 2


def test_unused_uploads_are_deleted_with_their_files_after_a_day(alice_client, clock):
    key = alice_client.post(reverse("listings:upload"), {"photo": upload()}).json()["key"]
    stored = PhotoUpload.objects.get(key=key)
    names = [stored.image.name, stored.thumbnail.name]
    clock.shift(timedelta(hours=23))
    assert uploads_prune() == 0
    clock.shift(timedelta(hours=2))
    assert uploads_prune() == 1
    assert not PhotoUpload.objects.exists() and not any(default_storage.exists(name) for name in names)
    response = alice_client.post(reverse("listings:create"), {**_form(), "uploads": [key]})
    assert "もう使えません" in response.content.decode() and not Photo.objects.exists()
