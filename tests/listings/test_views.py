"""The resident's listing pages: posting, editing photos, the owner's actions, query counts,
privacy and hostile input. Browsing is in test_browse.py."""

import pytest
from django.urls import reverse

from accounts.models import Town
from listings.models import Category, Listing, Photo
from tests.factories import jpeg_bytes, make_listing, upload


def _form(**overrides) -> dict:
    data = {
        "kind": "offer",
        "title": "ベビーカー",
        "description": "A型ベビーカーです。",
        "category": Category.objects.get(slug="baby-kids").pk,
        "condition": "good",
        "price": "0",
        "town": Town.objects.get(name="銀座").pk,
    }
    data.update(overrides)
    return data


# --- Posting -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resident_posts_a_listing_with_photos(alice_client, alice):
    response = alice_client.post(
        reverse("listings:create"), {**_form(), "photos": [upload("a.jpg"), upload("b.JPG")]}
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url == listing.get_absolute_url()
    assert (listing.owner, listing.status, listing.photo_count) == (alice, "published", 2)
    page = alice_client.get(listing.get_absolute_url()).content.decode()
    assert "ベビーカー" in page and listing.photos.first().image.url in page


@pytest.mark.django_db
def test_a_broken_photo_is_refused_with_its_name_and_nothing_is_saved(alice_client):
    response = alice_client.post(
        reverse("listings:create"),
        {**_form(), "photos": [upload("good.jpg"), upload("fake.jpg", b"<html>not an image</html>")]},
    )
    assert response.status_code == 200
    assert "fake.jpg" in response.content.decode()
    assert not Listing.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("price", "10001"), ("price", "-1"), ("price", "abc"), ("title", ""), ("title", "x" * 61),
     ("description", "x" * 2001), ("category", "999999"), ("town", "not-a-town"), ("kind", "sell")],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(alice_client, field, value):
    response = alice_client.post(reverse("listings:create"), _form(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Listing.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,000", "１，０００", "1000円", "¥1,000", " 1 000 "])
def test_a_price_is_read_the_way_people_write_it(alice_client, typed):
    response = alice_client.post(reverse("listings:create"), _form(price=typed))
    assert response.status_code == 302
    assert Listing.objects.get().price == 1000


@pytest.mark.django_db
def test_the_price_cap_message_writes_the_cap_with_a_comma(alice_client):
    response = alice_client.post(reverse("listings:create"), _form(price="10,001"))
    assert response.context["form"].errors["price"] == ["価格は10,000円以下にしてください。このサービスは営利目的ではありません。"]
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_save_as_draft_keeps_the_listing_private(alice_client, bob_client):
    alice_client.post(reverse("listings:create"), {**_form(), "save_draft": "1"})
    listing = Listing.objects.get()
    assert listing.status == "draft"
    assert bob_client.get(listing.get_absolute_url()).status_code == 404
    assert alice_client.get(listing.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_owner_edits_photos_through_the_form(alice_client, alice):
    listing = make_listing(alice, photos=2)
    first, second = listing.photos.all()
    response = alice_client.post(
        reverse("listings:edit", args=[listing.pk]),
        {**_form(title="編集後"), f"order_{first.pk}": "2", f"order_{second.pk}": "1", "cover": str(first.pk),
         f"remove_{second.pk}": "on", "photos": [upload("new.png", _png())]},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    photos = list(listing.photos.all())
    assert listing.title == "編集後"
    assert photos[0].pk == first.pk and len(photos) == 2


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


# --- Owner actions -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action,expected", [("withdraw", "withdrawn"), ("hand_over", "handed_over"), ("renew", "published")])
def test_my_listings_actions_change_the_status(alice_client, alice, action, expected):
    from datetime import timedelta

    from django.utils import timezone

    listing = make_listing(alice)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=2))  # renewable
    response = alice_client.post(reverse("listings:act", args=[listing.pk, action]), {"confirm": "1"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == expected
    if action == "renew":
        assert listing.expires_at > timezone.now() + timedelta(days=80)


@pytest.mark.django_db
def test_a_refused_action_says_why_and_changes_nothing(alice_client, alice):
    listing = make_listing(alice)
    alice_client.post(reverse("listings:act", args=[listing.pk, "hand_over"]), {"confirm": "1"})
    response = alice_client.post(reverse("listings:act", args=[listing.pk, "withdraw"]), {"confirm": "1"}, follow=True)
    listing.refresh_from_db()
    assert listing.status == "handed_over"
    assert any(m.level_tag == "error" for m in response.context["messages"])


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "listings:browse"])
def test_list_pages_use_a_constant_number_of_queries(client, alice, name, count_queries):
    make_listing(alice, photos=1)
    few = count_queries(client, reverse(name))
    for i in range(10):
        make_listing(alice, photos=2, title=f"追加{i}", category=Category.objects.all()[i % 5])
    assert count_queries(client, reverse(name)) == few


@pytest.mark.django_db
def test_the_detail_page_uses_a_constant_number_of_queries(client, alice, count_queries):
    small = make_listing(alice, photos=1)
    large = make_listing(alice, photos=8)
    assert count_queries(client, small.get_absolute_url()) == count_queries(client, large.get_absolute_url())


@pytest.mark.django_db
def test_my_listings_uses_a_constant_number_of_queries(alice_client, alice, count_queries):
    make_listing(alice, photos=1)
    few = count_queries(alice_client, reverse("listings:mine"))
    for i in range(6):
        make_listing(alice, photos=1, title=f"追加{i}")
    assert count_queries(alice_client, reverse("listings:mine")) == few


# --- Privacy -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_never_show_the_posters_email_or_postal_code(client, alice):
    listing = make_listing(alice, photos=1)
    for url in [reverse("home"), reverse("listings:browse"), listing.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert alice.email not in page and alice.postal_code not in page and "104-0061" not in page
    assert "ありす" in client.get(listing.get_absolute_url()).content.decode()  # display name only


# --- Hostile input ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title",
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE listings_listing; --"],
)
def test_hostile_text_is_stored_as_text_and_shown_escaped(alice_client, client, title):
    response = alice_client.post(reverse("listings:create"), _form(title=title, description=title))
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.title == title
    for url in [listing.get_absolute_url(), reverse("listings:browse"), reverse("home")]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.django_db
def test_a_title_with_a_bidi_override_is_refused_and_nothing_saved(alice_client):
    response = alice_client.post(reverse("listings:create"), _form(title="本棚\u202egnp.exe"))
    assert response.status_code == 200
    assert "文字の向きを変える見えない文字が含まれています" in response.content.decode()
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_control_characters_and_noncharacters_are_removed_and_the_feed_stays_valid(alice_client, client):
    from xml.etree import ElementTree

    pasted = "本棚\x07\x1b\x7f\x08\ufffe\x00"
    response = alice_client.post(
        reverse("listings:create"), _form(title=pasted, description="一行目\x0b二行目\x0c三行目\r\n四行目")
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert listing.title == "本棚"
    assert listing.description == "一行目\n二行目\n三行目\n四行目"
    ElementTree.fromstring(client.get(reverse("mirror:feed")).content)  # parses: no control characters left


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "description"])
def test_text_with_nothing_visible_is_refused_as_empty(alice_client, field):
    response = alice_client.post(reverse("listings:create"), _form(**{field: "\u200b\u200b\u3000\ufeff"}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["このフィールドは必須です。"]
    assert not Listing.objects.exists()


@pytest.mark.django_db
def test_a_null_character_no_longer_gets_a_misleading_message(alice_client):
    response = alice_client.post(reverse("listings:create"), _form(title="\x00"))
    assert response.context["form"].errors["title"] == ["このフィールドは必須です。"]


@pytest.mark.django_db
def test_a_photo_over_the_size_limit_is_refused_with_the_limit_named(alice_client, settings):
    settings.LISTING_PHOTO_MAX_BYTES = 50_000
    big = upload("big.jpg", jpeg_bytes(size=(1200, 1200)) + b"\0" * 60_000)
    response = alice_client.post(reverse("listings:create"), {**_form(), "photos": [big]})
    assert response.status_code == 200
    assert "big.jpg" in response.content.decode()
    assert not Listing.objects.exists()
