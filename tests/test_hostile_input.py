"""Hostile input through every form and endpoint residents and staff use.

Each payload either gets a clear refusal (a form error, nothing saved) or is stored harmlessly:
shown escaped, never executed; and nothing answers with a server error.
"""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import PostalCode
from alerts.models import SavedSearch
from community.models import Post, Thread
from listings.models import Category, Listing
from messaging.models import Message
from tests.factories import jpeg_bytes, make_listing

SCRIPT = "<script>alert(1)</script>"
TEXTS = {
    "script": SCRIPT,
    "event-handler": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(document.cookie)",
    "sql": "'; DROP TABLE listings_listing; -- \" OR 1=1",
    "path-traversal": "../../../../etc/passwd",
    "control-chars": "tab\there \x1b[31m bell\x07 end",
    "nul": "before\x00after",
    "rtl-override": "abc\u202egnp.exe",
    "emoji-zwj": "👩‍👩‍👧 家族",
    "very-long": "あ" * 100_000,
}
RAW_MARKERS = ("<script>alert", "<img src=x")  # escaped, the text may stay: "&lt;img src=x onerror=..."

# What each payload comes to: stored as typed, stored cleaned (the value below), or REFUSED (the
# form again with the reason, nothing saved). Each field names the payloads it refuses.
REFUSED = None
CLEANED_MULTI_LINE = {"control-chars": "tab\there [31m bell end", "nul": "beforeafter", "rtl-override": "abcgnp.exe"}
CLEANED_ONE_LINE = {**CLEANED_MULTI_LINE, "control-chars": "tab here [31m bell end"}  # a tab is a space on one line


def _expected(name: str, *, refused: set[str], one_line: bool, text: str | None = None) -> str | None:
    if name in refused:
        return REFUSED
    cleaned = CLEANED_ONE_LINE if one_line else CLEANED_MULTI_LINE
    return cleaned.get(name, TEXTS[name] if text is None else text)


def _assert_harmless(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"raw {marker!r} rendered"


def _listing_form(**changes) -> dict:
    data = {
        "kind": "offer", "title": "本棚", "description": "譲ります。", "category": Category.objects.get(slug="furniture").pk,
        "condition": "good", "price": "0", "town": PostalCode.objects.get(code="1040061").town_id,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("field,refused", [
    ("title", {"rtl-override", "very-long"}),
    ("description", {"very-long"}),
])
def test_listing_form(bob_client, client, name, field, refused):
    expected = _expected(name, refused=refused, one_line=field == "title")
    response = bob_client.post(reverse("listings:create"), _listing_form(**{field: TEXTS[name]}))
    listing = Listing.objects.first()
    if expected is REFUSED:
        assert response.status_code == 200 and listing is None  # the form again: nothing half-saved
        return
    assert response.status_code == 302
    assert (listing.status, getattr(listing, field)) == (Listing.Status.PUBLISHED, expected)
    _assert_harmless(client.get(listing.get_absolute_url()).content.decode())
    _assert_harmless(client.get(reverse("listings:browse"), {"q": TEXTS[name][:50]}).content.decode())


@pytest.mark.parametrize("name", TEXTS)
def test_board_thread_title(bob_client, client, name):
    expected = _expected(name, refused={"rtl-override"}, one_line=True, text=TEXTS[name][:80])
    response = bob_client.post(reverse("community:thread_create"), {"topic": "other", "title": TEXTS[name][:80], "body": "本文"})
    thread = Thread.objects.first()
    if expected is REFUSED:
        assert response.status_code == 200 and thread is None and not Post.objects.exists()
        return
    assert response.status_code == 302 and thread.title == expected
    _assert_harmless(client.get(thread.get_absolute_url()).content.decode())
    _assert_harmless(client.get(reverse("community:board")).content.decode())


@pytest.mark.parametrize("name", TEXTS)
def test_board_post_and_reply(bob_client, alice_client, client, name):
    expected = _expected(name, refused={"very-long"}, one_line=False)
    response = bob_client.post(reverse("community:thread_create"), {"topic": "other", "title": "題名", "body": TEXTS[name]})
    if expected is REFUSED:
        assert response.status_code == 200 and not Thread.objects.exists() and not Post.objects.exists()
        return
    assert response.status_code == 302
    thread = Thread.objects.get()
    response = alice_client.post(reverse("community:reply", args=[thread.pk]), {"body": TEXTS[name]})
    assert response.status_code == 302
    assert [(post.status, post.body) for post in thread.posts.order_by("pk")] == [(Post.Status.PUBLISHED, expected)] * 2
    _assert_harmless(client.get(thread.get_absolute_url()).content.decode())


@pytest.mark.parametrize("name", TEXTS)
def test_messages(bob_client, alice, alice_client, name):
    expected = _expected(name, refused={"nul", "very-long"}, one_line=False)
    listing = make_listing(alice)
    response = bob_client.post(reverse("messaging:start", args=[listing.pk]), {"body": TEXTS[name]})
    message = Message.objects.first()
    if expected is REFUSED:
        assert response.status_code == 200 and message is None
        return
    assert response.status_code == 302 and message.body == expected
    page = alice_client.get(message.conversation.get_absolute_url()).content.decode()
    _assert_harmless(page)
    history = alice_client.get(reverse("messaging:history", args=[message.conversation_id]))
    assert history["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("name", TEXTS)
def test_profile_display_name(bob_client, bob, alice_client, name):
    # a link or SQL reads as too many symbols for a name; the rest is a (strange) name, shown escaped
    expected = _expected(name, refused={"javascript-url", "sql", "rtl-override", "very-long"}, one_line=True)
    make_listing(bob)  # a public listing: Alice may open Bob's page
    before = bob.display_name
    response = bob_client.post(reverse("accounts:profile"), {"display_name": TEXTS[name], "postal_code": "104-0052"})
    bob.refresh_from_db()
    if expected is REFUSED:
        assert response.status_code == 200 and bob.display_name == before
        return
    assert response.status_code == 302 and bob.display_name == expected
    response = alice_client.get(reverse("messaging:profile", args=[bob.public_id]))
    assert response.status_code == 200
    _assert_harmless(response.content.decode())


@pytest.mark.parametrize("name", TEXTS)
def test_searches(client, db, name):
    for url in [reverse("listings:browse"), reverse("community:facility_list")]:
        response = client.get(url, {"q": TEXTS[name][:5000]})
        assert response.status_code == 200, url
        _assert_harmless(response.content.decode())
    response = client.get("/api/v1/listings", {"q": TEXTS[name][:5000]})
    expected_status = 400 if name == "very-long" else 200  # the API refuses an over-long query with a JSON error
    assert response.status_code == expected_status and response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("name", TEXTS)
def test_saved_searches(bob_client, name):
    expected = _expected(name, refused={"rtl-override", "very-long"}, one_line=True)
    response = bob_client.post(reverse("alerts:save"), {"q": TEXTS[name]}, follow=True)
    assert response.redirect_chain[0][1] == 302
    saved = list(SavedSearch.objects.values_list("q", flat=True))
    if expected is REFUSED:
        assert saved == [] and response.context["messages"]  # the page says why
        return
    assert saved == [expected]
    _assert_harmless(bob_client.get(reverse("alerts:list")).content.decode())


@pytest.mark.parametrize("name", TEXTS)
def test_reports(bob_client, alice, name):
    expected = _expected(name, refused={"very-long"}, one_line=False)
    listing = make_listing(alice)
    response = bob_client.post(reverse("listings:report", args=[listing.pk]), {"reason": "other", "note": TEXTS[name]})
    notes = list(listing.reports.values_list("note", flat=True))
    if expected is REFUSED:
        assert response.status_code == 200 and notes == []
        return
    assert response.status_code == 302 and notes == [expected]


@pytest.mark.parametrize("name", TEXTS)
def test_staff_forms(staff_client, alice, name):
    from core.models import AuditRecord, NGWord
    from moderation.models import ReasonTemplate

    text = TEXTS[name]
    one_line = _expected(name, refused={"rtl-override", "very-long"}, one_line=True)
    response = staff_client.post(reverse("community_staff:ng_words"), {"word": text})
    assert response.status_code == (200 if one_line is REFUSED else 302)
    assert list(NGWord.objects.values_list("word", flat=True)) == ([] if one_line is REFUSED else [one_line])

    templates_before = ReasonTemplate.objects.count()
    response = staff_client.post(reverse("moderation:reason_templates"), {"title": text[:60], "text": text})
    refused = name in {"rtl-override", "very-long"}  # a bidi control in the title; too long a text
    assert response.status_code == (200 if refused else 302)
    assert ReasonTemplate.objects.count() == templates_before + (0 if refused else 1)

    response = staff_client.post(reverse("moderation:account_warn", args=[alice.pk]), {"reason": text})
    assert response.status_code == 302
    for url in [reverse("community_staff:ng_words"), reverse("moderation:reason_templates"), reverse("moderation:audit_log"),
                reverse("moderation:account", args=[alice.pk])]:
        _assert_harmless(staff_client.get(url).content.decode())
    assert all("\x00" not in (r.reason or "") and "\u202e" not in (r.reason or "") for r in AuditRecord.objects.all())


# --- files -------------------------------------------------------------------------------------

def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims huge dimensions (a decompression bomb) with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


def _polyglot() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


FILES = {
    "svg-with-script": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "photo.svg", "image/svg+xml", False),
    "html-named-jpg": (b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg", False),
    "empty": (b"", "empty.jpg", "image/jpeg", False),
    "truncated-jpeg": (jpeg_bytes((800, 600))[:2000], "broken.jpg", "image/jpeg", False),
    "huge-dimension-png": (_png_header_only(60_000, 60_000), "bomb.png", "image/png", False),
    "path-traversal-name": (jpeg_bytes(), "../../../etc/passwd.jpg", "image/jpeg", True),
    "jpeg-html-polyglot": (_polyglot(), "photo.html", "text/html", True),
}


@pytest.mark.parametrize("name", FILES)
def test_photo_uploads(bob_client, client, settings, name):
    data, filename, content_type, accepted = FILES[name]
    upload = SimpleUploadedFile(filename, data, content_type=content_type)
    response = bob_client.post(reverse("listings:create"), {**_listing_form(), "photos": [upload]})
    if not accepted:
        assert response.status_code == 200  # the form again, with the reason
        assert not Listing.objects.exists()
        return
    assert response.status_code == 302
    photo = Listing.objects.get().photos.get()
    assert photo.image.name.endswith(".jpg") and ".." not in photo.image.name and "passwd" not in photo.image.name
    stored = photo.image.read()
    assert b"<script" not in stored and stored.startswith(b"\xff\xd8")
