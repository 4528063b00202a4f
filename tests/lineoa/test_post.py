"""Post by LINE: photos sent to the ward's account become the listing form's chosen photos (the
site's photo pipeline: no location left), and a text sent next its description."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image

from accounts.services import user_delete
from lineoa.inbound import image_received, text_received
from listings import uploads
from listings.models import Listing, ListingDraft, PhotoUpload
from tests.listings.test_photos import phone_jpeg
from tests.listings.test_views import _form

pytestmark = pytest.mark.django_db

FORM_URL = f"{settings.SITE_URL}/listings/new/"


def kept_keys(page: str) -> list[str]:
    return re.findall(r'name="uploads" value="([0-9a-f-]{36})" checked', page)


def test_a_photo_is_kept_without_its_location_and_the_form_opens_with_it(alice, alice_client, line_content):
    line_content.contents["m1"] = phone_jpeg((800, 600))
    assert Image.open(io.BytesIO(line_content.contents["m1"])).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    [answer] = image_received(alice, "m1")

    assert answer.text == (
        "写真を受け取りました（下書きに1枚）。ほかの写真や、品物を説明する文章も送れます。"
        f"出品はこちらで仕上げてください：{FORM_URL}"
    )
    assert line_content.paths == ["/v2/bot/message/m1/content"]
    upload = PhotoUpload.objects.get(owner=alice)
    for field in (upload.image, upload.thumbnail):
        with field.open("rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) and not stored.getexif()

    page = alice_client.get(reverse("listings:create")).content.decode()
    assert kept_keys(page) == [str(upload.key)]  # preselected in the upload area


def test_a_text_after_the_photos_becomes_the_description_and_the_listing_takes_both(alice, alice_client, line_content):
    line_content.contents |= {"m1": phone_jpeg((800, 600)), "m2": phone_jpeg((600, 800))}
    image_received(alice, "m1")
    [second] = image_received(alice, "m2")
    assert "下書きに2枚" in second.text

    [answer] = text_received(alice, "A型のベビーカーです。\n使用は1年ほど。")
    assert answer.text == f"出品の説明に追加しました。こちらで確認して公開してください：{FORM_URL}"
    text_received(alice, "雨よけも付けます。")

    page = alice_client.get(reverse("listings:create")).content.decode()
    keys = kept_keys(page)
    assert len(keys) == 2
    assert "A型のベビーカーです。\n使用は1年ほど。\n雨よけも付けます。</textarea>" in page

    form = {**_form(description="A型のベビーカーです。\n使用は1年ほど。\n雨よけも付けます。"), "uploads": keys}
    response = alice_client.post(reverse("listings:create"), form)
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.photo_count == 2
    assert not ListingDraft.objects.exists() and not PhotoUpload.objects.exists()
    assert kept_keys(alice_client.get(reverse("listings:create")).content.decode()) == []  # the draft is done


def test_the_contact_detail_guard_applies_when_they_publish(alice, alice_client, line_content):
    line_content.contents["m1"] = phone_jpeg((800, 600))
    image_received(alice, "m1")
    text_received(alice, "電話 090-1234-5678 までどうぞ")
    page = alice_client.get(reverse("listings:create")).content.decode()

    response = alice_client.post(reverse("listings:create"), {**_form(description="電話 090-1234-5678 までどうぞ"), "uploads": kept_keys(page)})

    assert response.status_code == 200 and not Listing.objects.exists()
    assert "「090-1234-5678」は電話番号のようです。" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4 not a photo", "この写真は保存していません："),
        (phone_jpeg((800, 600))[:400], "この写真は保存していません："),
    ],
)
def test_what_is_not_a_photo_gets_a_clear_answer_and_nothing_is_stored(alice, line_content, content, reason):
    line_content.contents["m1"] = content
    [answer] = image_received(alice, "m1")
    assert answer.text.startswith(reason)
    assert not PhotoUpload.objects.exists() and not ListingDraft.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(alice, line_content, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 1000
    line_content.contents["m1"] = phone_jpeg((800, 600))
    [answer] = image_received(alice, "m1")
    assert answer.text.startswith("この写真は保存していません：") and "MB" in answer.text
    assert not PhotoUpload.objects.exists()


def test_a_photo_line_cannot_give_gets_a_clear_answer(alice, line_content):
    [answer] = image_received(alice, "gone")
    assert answer.text == "LINEから写真を受け取れませんでした。もう一度送ってください。"
    assert not PhotoUpload.objects.exists()


def test_the_upload_limits_apply(alice, line_content, monkeypatch):
    monkeypatch.setattr(uploads, "PENDING_MAX", 1)
    line_content.contents |= {"m1": phone_jpeg((800, 600)), "m2": phone_jpeg((600, 800))}
    image_received(alice, "m1")
    [answer] = image_received(alice, "m2")
    assert answer.text.startswith("この写真は保存していません：")
    assert PhotoUpload.objects.count() == 1


def test_a_draft_holds_one_listings_worth_of_photos(alice, line_content, settings):
    settings.LISTING_MAX_PHOTOS = 1
    line_content.contents |= {"m1": phone_jpeg((800, 600)), "m2": phone_jpeg((600, 800))}
    image_received(alice, "m1")
    [answer] = image_received(alice, "m2")
    assert answer.text == "この写真は保存していません：1つの出品に載せられる写真は1枚までです。フォームを開いて出品してください。"
    assert PhotoUpload.objects.count() == 1


def test_a_draft_left_a_day_is_gone(alice, alice_client, line_content, clock):
    line_content.contents["m1"] = phone_jpeg((800, 600))
    image_received(alice, "m1")
    clock.shift(uploads.UPLOAD_MAX_AGE.total_seconds() + 60)
    [answer] = text_received(alice, "説明です")
    assert answer.text.startswith("品物をさがすには")  # no draft to describe any more
    assert uploads.uploads_prune() == 1 and not ListingDraft.objects.exists()


def test_deleting_the_account_deletes_what_was_sent_but_not_posted(alice, line_content):
    line_content.contents["m1"] = phone_jpeg((800, 600))
    image_received(alice, "m1")
    text_received(alice, "A型のベビーカーです。")
    upload = PhotoUpload.objects.get(owner=alice)
    names = [upload.image.name, upload.thumbnail.name]

    user_delete(user=alice)

    assert not PhotoUpload.objects.exists()
    assert not ListingDraft.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
