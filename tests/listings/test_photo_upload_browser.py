"""The listing form's photos in headless Chromium on a 360 px phone (static/js/photo-upload.js):
each chosen photo uploads at once and comes back as a ticked thumbnail; a text file renamed .jpg
and a photo over the size limit are refused in the browser with the server's own messages before
anything is sent; a form error keeps the uploaded photos, and the second try publishes them."""

import io
import random
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image

from accounts.models import Town
from listings.models import Category, Listing
from tests.factories import jpeg_bytes

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]


def noisy_jpeg(size: tuple[int, int]) -> bytes:  # noise does not compress: a file of a known, large size
    rng = random.Random(7)
    image = Image.frombytes("RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_photos_upload_as_chosen_are_checked_first_and_survive_a_form_error(live_server, alice, settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings.LISTING_PHOTO_MAX_BYTES = 200_000
    good = tmp_path / "sofa.jpg"
    good.write_bytes(jpeg_bytes((1200, 900)))
    renamed = tmp_path / "memo.jpg"
    renamed.write_bytes(b"this is a text file with a photo's name")
    large = tmp_path / "large.jpg"
    large.write_bytes(noisy_jpeg((600, 600)))
    assert large.stat().st_size > settings.LISTING_PHOTO_MAX_BYTES
    category = str(Category.objects.get(slug="furniture").pk)
    town = str(Town.objects.get(name="銀座").pk)
    client = Client()
    client.force_login(alice)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
            page = context.new_page()
            sent = []
            page.on("request", lambda request: sent.append(request.url) if "/listings/uploads/" in request.url and request.method == "POST" else None)
            page.goto(live_server.url + "/listings/new/")
            page.set_input_files("input[name=photos]", [str(good), str(renamed), str(large)])
            expect(page.locator("input[name=uploads]:checked")).to_have_count(1)  # a string to evaluate breaks the CSP
            expect(page.locator(".upload-failed")).to_have_count(2)
            errors = page.locator(".upload-failed .error-text").all_inner_texts()
            assert any("対応していないファイル形式" in error for error in errors), errors
            assert any("ファイルが大きすぎます" in error and "0.2 MB" in error for error in errors), errors
            assert len(sent) == 1  # only the good photo left the phone
            # Its thumbnail shows: wait until it has loaded (decode() rejects on a broken image).
            assert page.locator(".upload-item img").evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

            # Leave the title empty: the form comes back with its error, the photo still there.
            page.select_option("select[name=category]", value=category)
            page.select_option("select[name=condition]", value="good")
            page.click("form.stacked-form button[type=submit]:has-text('掲載する')")
            page.wait_for_selector("#id_title_error")
            assert page.locator("input[name=uploads]:checked").count() == 1

            page.fill("input[name=title]", "青いソファ")
            page.fill("textarea[name=description]", "二人掛けです。")
            page.select_option("select[name=town]", value=town)
            page.click("form.stacked-form button[type=submit]:has-text('掲載する')")
            page.wait_for_url("**/listings/*/")
        finally:
            browser.close()
    listing = Listing.objects.get()
    assert (listing.title, listing.photo_count) == ("青いソファ", 1)
