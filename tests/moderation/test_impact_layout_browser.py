"""The impact dashboard at 1280 px in headless Chromium: the cards stand apart from the period
selector, the month labels stay on one line, and wide tables scroll in their own box rather than
the page."""

import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]

MEASURE = """() => {
  const form = document.querySelector("form.impact-period").getBoundingClientRect();
  const cards = document.querySelector(".stat-grid").getBoundingClientRect();
  const wrapped = [...document.querySelectorAll("th.impact-month")].filter((th) => {
    const range = document.createRange();
    range.selectNodeContents(th);
    return range.getClientRects().length > 1;
  }).map((th) => th.textContent);
  const spaces = [...new Set([...document.querySelectorAll("th.impact-month")].map((th) => getComputedStyle(th).whiteSpace))];
  return {gap: cards.top - form.bottom, wrapped, spaces, pageWidth: document.documentElement.scrollWidth,
          viewport: document.documentElement.clientWidth, months: document.querySelectorAll("th.impact-month").length};
}"""


def _staff_session(user) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return session.session_key


def test_the_impact_dashboard_reads_well_at_1280_px(live_server, staff):
    from playwright.sync_api import sync_playwright

    session = _staff_session(staff)  # before Playwright starts its event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(live_server.url + reverse("moderation:impact") + "?months=24")
            found = page.evaluate(MEASURE)
        finally:
            browser.close()
    assert found["months"] >= 12
    assert found["gap"] >= 12, found  # the cards do not touch the period selector
    assert found["wrapped"] == [] and found["spaces"] == ["nowrap"], found  # 2030-06, never 2030- / 06
    assert found["pageWidth"] <= found["viewport"], found  # the page itself does not scroll sideways
