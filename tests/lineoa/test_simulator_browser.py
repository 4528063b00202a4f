"""The staff's LINE simulator in a browser: link a resident through it and tap a quick reply; search
by LINE and see the carousel; a notice pushed to the resident, with its quick replies, acted on."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from lineoa.standin import serve
from messaging.models import Reservation
from notifications.models import LineLink
from tests.browser import CHROMIUM, LAUNCH_ARGS, needs_chromium, session as session_for
from tests.factories import make_listing

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]

# Under var/ (git ignores it): a test run must not change the repository. The screenshots in
# docs/screenshots/ were copied from there.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


@contextmanager
def simulator_browser(live_server, settings):
    """Chromium against the live server, whose LINE settings point at a stand-in served here."""
    from playwright.sync_api import sync_playwright

    with serve() as (_stand_in, url):
        settings.LINE_MESSAGING_CHANNEL_TOKEN = "dev-token"
        settings.LINE_MESSAGING_CHANNEL_SECRET = "dev-secret"
        settings.LINE_MESSAGING_API_URL = url
        settings.NOTICES = {**settings.NOTICES, "LINE_DATA_API_URL": url}
        settings.SITE_URL = live_server.url
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                yield browser
            finally:
                browser.close()


def open_as(browser, live_server, cookie: str, path: str):
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    return page


def link_in_simulator(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text("連携していません。")).to_have_count(1)
    page.get_by_role("textbox", name="メッセージ").fill("連携")
    page.get_by_role("button", name="送信する", exact=True).click()
    page.get_by_role("button", name="アカウントを連携する").click()
    expect(page.get_by_text("連携しました。これからはサイトのお知らせがここに届きます。")).to_have_count(1)


def test_staff_link_a_resident_through_the_simulator_and_tap_a_quick_reply(live_server, settings, staff, alice):
    from playwright.sync_api import expect

    cookie = session_for(staff, second_factor=True)  # before Playwright starts its event loop
    with simulator_browser(live_server, settings) as browser:
        page = open_as(browser, live_server, cookie, f"{reverse('moderation:line_simulator')}?as={alice.pk}")
        link_in_simulator(page)
        quick = page.get_by_role("group", name="クイックリプライ")
        expect(quick.get_by_role("button", name="使い方")).to_have_count(1)
        expect(quick.get_by_role("link", name="通知設定")).to_have_count(1)
        quick.get_by_role("button", name="使い方").click()
        expect(page.get_by_text("品物をさがすには", exact=False)).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "line-simulator.png"), full_page=True)
    assert LineLink.objects.filter(user=alice).exists()


def test_a_search_shows_a_carousel_and_a_request_notice_is_reserved_by_its_quick_reply(live_server, settings, staff, alice, bob):
    from playwright.sync_api import expect

    town = make_listing(bob, title="木製の本棚", photos=1).town.name
    make_listing(bob, title="白い本棚", photos=2, price=1500)
    make_listing(bob, title="小さな本棚", photos=1)
    stroller = make_listing(alice, title="ベビーカー", photos=1)
    staff_cookie = session_for(staff, second_factor=True)  # before Playwright starts its event loop
    bob_cookie = session_for(bob)
    simulator = f"{reverse('moderation:line_simulator')}?as={alice.pk}"
    with simulator_browser(live_server, settings) as browser:
        page = open_as(browser, live_server, staff_cookie, simulator)
        link_in_simulator(page)

        page.get_by_role("textbox", name="メッセージ").fill("さがす 本棚")
        page.get_by_role("button", name="送信する", exact=True).click()
        cards = page.locator(".line-card")
        expect(cards).to_have_count(3)
        expect(cards.locator("img")).to_have_count(3)
        expect(cards.get_by_role("link", name="詳しく見る")).to_have_count(3)
        for title in ("木製の本棚", "白い本棚", "小さな本棚"):
            expect(cards.filter(has_text=title)).to_have_count(1)
        expect(cards.filter(has_text="無料")).to_have_count(2)
        expect(cards.filter(has_text="¥1,500")).to_have_count(1)
        expect(cards.filter(has_text=town)).to_have_count(3)
        for image in cards.locator("img").all():  # the photos load from the site
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        page.screenshot(path=str(SCREENSHOTS / "line-simulator-carousel.png"), full_page=True)

        asking = open_as(browser, live_server, bob_cookie, reverse("messaging:start", args=[stroller.pk]))
        asking.get_by_role("textbox", name="最初のメッセージ").fill("ぜひ譲ってください。週末に取りに行けます。")
        asking.get_by_role("button", name="送信する", exact=True).click()
        expect(asking.get_by_text("ぜひ譲ってください。週末に取りに行けます。")).to_have_count(1)

        page.reload()  # the notice was pushed to Alice's LINE
        expect(page.get_by_text("「ベビーカー」に申し込みがありました", exact=False)).to_have_count(1)
        quick = page.get_by_role("group", name="クイックリプライ")
        expect(quick.get_by_role("button")).to_have_count(2)
        expect(quick.get_by_role("button", name="取り置きする")).to_have_count(1)
        expect(quick.get_by_role("button", name="見送る")).to_have_count(1)
        expect(quick.get_by_role("link", name="返信する")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "line-simulator-quick-reply.png"), full_page=True)

        quick.get_by_role("button", name="取り置きする").click()
        expect(page.get_by_text("この方に取り置きしました。", exact=False)).to_have_count(1)
    reservation = Reservation.objects.get()
    assert (reservation.listing_id, reservation.requester_id) == (stroller.pk, bob.pk)
