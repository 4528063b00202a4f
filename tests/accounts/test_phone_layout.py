"""The account page on a 360 px phone, in headless Chromium against the live test server."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # restores the towns after the flush
def test_notification_checkboxes_keep_their_size_when_the_label_wraps(live_server):
    from playwright.sync_api import sync_playwright

    # Everything that touches the database happens before Playwright starts its event loop.
    user = make_user(email="phone@example.com")
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 360, "height": 780})
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(live_server.url + "/account/")
            boxes = page.locator("input[type=checkbox][name^=notify_]")
            assert boxes.count() == 2
            for index in range(2):
                box = boxes.nth(index).bounding_box()
                assert box["width"] >= 20 and box["height"] >= 20, box
        finally:
            browser.close()
