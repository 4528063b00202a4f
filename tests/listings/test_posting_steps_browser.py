"""From the home page to a published listing as a new resident, on a 360 px phone in headless
Chromium, counting what it costs (issue 18, "fewer steps"): at most 5 screens and 12 taps, and the
test prints both with the list of screens and taps.

- A screen is a page the browser loads after the home page (a form that comes back with an error
  would count too).
- A tap is a touch on the page: a link or a button, a text field reached by touching it, a select
  (opened and chosen counts as one), the photo chooser. Typing is not a tap, and neither is the
  keyboard's Next key that moves from one text field to the next, as phones offer in a form; the
  test records those moves as "keyboard" so they can be read too.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.core import mail

from listings.models import Category, Listing
from tests.factories import jpeg_bytes

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]


class Steps:
    def __init__(self, page):
        self.page = page
        self.screens: list[str] = []
        self.taps: list[str] = []
        self.keyboard: list[str] = []
        page.on("framenavigated", lambda frame: self.screens.append(frame.url) if frame == page.main_frame else None)

    def tap(self, selector: str, what: str) -> None:
        self.page.click(selector)
        self.taps.append(what)

    def type(self, selector: str, text: str, what: str, *, by_keyboard: bool = False) -> None:
        """Type into a text field: touched (a tap), or reached with the keyboard's Next key."""
        self.page.fill(selector, text)
        (self.keyboard if by_keyboard else self.taps).append(what)

    def choose(self, selector: str, what: str, **option) -> None:
        self.page.select_option(selector, **option)
        self.taps.append(what)

    def photos(self, selector: str, files: list[str]) -> None:
        self.page.set_input_files(selector, files)
        self.taps.append("choose photos")


def test_a_new_resident_posts_from_the_home_page_in_at_most_5_screens_and_12_taps(live_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    photo = tmp_path / "sofa.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900)))
    category = str(Category.objects.get(slug="furniture").pk)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP").new_page()
            page.goto(live_server.url + "/")
            steps = Steps(page)

            steps.tap(".hero-actions >> text=出品する", "出品する")  # screen 1: the listing form, as a visitor
            steps.type("input[name=title]", "青いソファ", "title")
            steps.type("textarea[name=description]", "二人掛けです。", "description", by_keyboard=True)
            steps.choose("select[name=category]", "category", value=category)
            steps.choose("select[name=condition]", "condition", value="good")
            steps.photos("input[name=photos]", [str(photo)])
            expect(page.locator("input[name=uploads]:checked")).to_have_count(1)
            steps.tap("form.stacked-form button[type=submit]", "次へ（登録して掲載）")  # screen 2: sign-up

            page.wait_for_url("**/auth/signup/**")
            steps.type("input[name=email]", "newcomer@example.com", "email")
            steps.type("input[name=display_name]", "しんにゅう", "display name", by_keyboard=True)
            steps.type("input[name=postal_code]", "1040061", "postal code", by_keyboard=True)
            steps.type("input[name=password1]", "a-long-enough-passphrase", "password", by_keyboard=True)
            steps.tap("main form button[type=submit]", "同意して登録する")  # screen 3: the code

            page.wait_for_url("**/auth/confirm-email/")
            code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
            steps.type("input[name=code]", code, "code")
            steps.tap("main form button[type=submit]:has-text('確認する')", "確認する")  # screen 4: the form, as left

            page.wait_for_url("**/listings/new/")
            expect(page.locator("input[name=title]")).to_have_value("青いソファ")
            expect(page.locator("input[name=uploads]:checked")).to_have_count(1)
            steps.tap("form.stacked-form button[type=submit]:has-text('掲載する')", "掲載する")  # screen 5: the listing

            page.wait_for_url(re.compile(r"/listings/\d+/$"))
            expect(page.locator("h1")).to_have_text("青いソファ")
        finally:
            browser.close()

    screens = [re.sub(r"^https?://[^/]+", "", url) for url in steps.screens]
    print(f"\nFrom the home page to a published listing: {len(screens)} screens, {len(steps.taps)} taps")
    print("  screens: " + " → ".join(screens))
    print("  taps: " + ", ".join(steps.taps))
    print("  keyboard (Next key): " + ", ".join(steps.keyboard))
    listing = Listing.objects.get()
    assert (listing.title, listing.status, listing.photo_count, listing.owner.email) == ("青いソファ", "published", 1, "newcomer@example.com")
    assert len(screens) <= 5 and len(steps.taps) <= 12
