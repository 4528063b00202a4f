"""The embed builder's script in headless Chromium: the page as Django renders it for staff, with
its Content-Security-Policy, served at a made-up origin (no server needed)."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ORIGIN = "http://localhost:8765"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture
def builder_page(staff_client):
    from playwright.sync_api import sync_playwright

    rendered = staff_client.get(reverse("mirror_staff:embed_builder"))
    script = (ROOT / "static" / "js" / "embed-builder.js").read_text()

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        if path == reverse("mirror_staff:embed_builder"):
            route.fulfill(status=200, body=rendered.content, headers={
                "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": rendered["Content-Security-Policy"]})
        elif path.endswith("/js/embed-builder.js"):
            route.fulfill(status=200, body=script, headers={"Content-Type": "text/javascript"})
        else:
            route.fulfill(status=200, body="", headers={"Content-Type": "text/html"})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ORIGIN)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.route(f"{ORIGIN}/**", serve)
        page.goto(ORIGIN + reverse("mirror_staff:embed_builder"))
        yield page
        assert not [e for e in errors if "Content Security Policy" in e or "Error" in e], errors
        browser.close()


@pytest.mark.django_db
def test_typing_a_limit_above_the_cap_puts_the_cap_in_the_snippet_and_says_so(builder_page):
    page = builder_page
    page.fill("#id_limit", "80")
    snippet = page.input_value("#snippet")
    assert "limit=50" in snippet and "limit=80" not in snippet
    assert "1〜50件" in page.text_content("#id_limit_helptext")
    assert page.get_attribute("#id_limit", "aria-invalid") == "true"
    page.fill("#id_limit", "12")
    assert "limit=12" in page.input_value("#snippet") and page.text_content("#id_limit_helptext") == ""


@pytest.mark.django_db
def test_keywords_and_language_reach_the_snippet_and_the_preview(builder_page, settings):
    page = builder_page
    page.fill("#id_q", "本棚")
    page.select_option("#id_kind", "wanted")
    page.select_option("#id_lang", "en")
    snippet = page.input_value("#snippet")
    assert "/embed/listings?q=%E6%9C%AC%E6%A3%9A&amp;kind=wanted&amp;limit=6&amp;lang=en" in snippet
    assert f'title="Latest on the {settings.MUNICIPALITY_NAME_EN} item exchange"' in snippet
    assert page.get_attribute("#embed-preview", "src") == "/embed/listings?q=%E6%9C%AC%E6%A3%9A&kind=wanted&limit=6&lang=en"
    page.select_option("#id_lang", "ja")
    assert "lang=" not in page.input_value("#snippet") and 'title="中央区の不用品交換の新着"' in page.input_value("#snippet")


@pytest.mark.django_db
def test_the_copy_button_copies_the_snippet(builder_page):
    page = builder_page
    page.select_option("#id_kind", "offer")
    page.click("#copy-snippet")
    page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
    assert page.text_content("#copy-status") == "埋め込みコードをコピーしました。"
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#snippet")
