"""Tap targets on a 360 px phone (WCAG 2.2, 2.5.8 Target Size (Minimum)), in headless Chromium
against the live test server: every visible link, button, submit, summary, select and checkbox
label is at least 24×24 CSS px, and the primary buttons (.button, except .button-small) are at
least 44 px tall.

One exemption, WCAG's own "inline" one, kept narrow: a link inside a sentence, i.e. whose parent
is a plain <p> or <li> (no class: prose, not a component such as the breadcrumbs, a message's
meta line or the footer links) that also holds words (letters or digits) outside its links and
buttons. Elements pushed off screen until focused (the
skip link) are measured only when on screen, so they are left out."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.browser import CHROMIUM, LAUNCH_ARGS, MEASURE, needs_chromium, session
from tests.factories import make_listing

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]


def test_every_tap_target_on_a_phone_is_at_least_24_px_and_primary_buttons_44_px_tall(live_server, alice, bob):
    from playwright.sync_api import sync_playwright

    from messaging.services.conversations import conversation_start

    # Everything that touches the database happens before Playwright starts its event loop.
    listing = make_listing(alice, title="無料の本棚", price=0)
    conversation = conversation_start(listing=listing, requester=bob, body="ぜひ譲ってください")
    visitor_pages = [reverse("home"), reverse("listings:browse") + "?q=本棚&free=on", reverse("account_login")]
    pages = [
        (None, path) for path in visitor_pages
    ] + [
        (session(bob), listing.get_absolute_url()),  # a resident who is not the poster: 通報する
        (session(alice), conversation.get_absolute_url()),  # Bob's message, with its 通報 link
    ]
    offenders: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for cookie, path in pages:
                context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
                if cookie:
                    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
                page = context.new_page()
                page.goto(live_server.url + path)
                for summary in page.locator("summary").all():  # measure what the folded parts hold too
                    summary.click()
                found = page.evaluate(MEASURE)
                if found:
                    offenders[path] = found
                context.close()
        finally:
            browser.close()
    assert not offenders, "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in offenders.items())
