"""The browse page on a 360×740 phone, in headless Chromium against the live test server: the
first result, or the empty state, is on the first screen, above the folded filters."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_listing

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]
PHONE = {"width": 360, "height": 740}


def test_on_a_phone_the_first_result_and_the_empty_state_are_on_the_first_screen(live_server, alice):
    from playwright.sync_api import sync_playwright

    # Everything that touches the database happens before Playwright starts its event loop.
    make_listing(alice, title="無料の本棚", price=0)
    browse = live_server.url + reverse("listings:browse")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport=PHONE, locale="ja-JP")
            page.goto(browse + "?q=本棚&kind=offer&free=on")
            first = page.locator(".card-grid .card").first
            assert "無料の本棚" in first.inner_text()
            assert first.bounding_box()["y"] < PHONE["height"], first.bounding_box()
            assert page.locator("summary", has_text="絞り込み（2）").is_visible()

            page.goto(browse + "?q=存在しない品物&free=on")
            empty = page.get_by_text("該当する品物はありません")
            box = empty.bounding_box()
            assert empty.is_visible() and box["y"] + box["height"] <= PHONE["height"], box
            clear = page.get_by_role("link", name="キーワードはそのままで絞り込みを解除する")
            assert clear.bounding_box()["y"] < PHONE["height"]
            clear.click()
            assert page.locator("#id_q").input_value() == "存在しない品物"
            assert page.locator("summary").inner_text().strip().startswith("絞り込み")
            assert "（" not in page.locator("summary").inner_text()
        finally:
            browser.close()
