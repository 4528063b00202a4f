"""End-to-end tests in headless Chromium (Debian's chromium, driven by Playwright) against the
production stack, on a phone-sized and a desktop viewport, with axe-core accessibility checks and
screenshots (saved under var/screenshots/, which git ignores).
"""

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.stack.conftest import make_staff, sign_up, totp_now

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield instance
        instance.close()


def _context(browser, stack, viewport, *, language="en", session=None):
    context = browser.new_context(viewport=viewport, locale="ja-JP" if language == "ja" else "en-US", base_url=stack.url)
    context.add_cookies([{"name": "django_language", "value": language, "url": stack.url}])
    if session is not None:
        context.add_cookies([{"name": c.name, "value": c.value, "url": stack.url} for c in session.cookies])
    return context


def _photo(path: Path, colour) -> Path:
    Image.new("RGB", (800, 600), colour).save(path, "JPEG")
    return path


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_resident_signs_up_posts_and_another_asks_and_they_chat_in_real_time(browser, stack, tmp_path):
    # Sign up in the browser and type the emailed code.
    poster = _context(browser, stack, PHONE)
    page = poster.new_page()
    page.goto("/auth/signup/")
    page.fill("input[name=email]", "hanako.browser@example.com")
    page.fill("input[name=password1]", "correct-horse-battery-42")
    page.fill("input[name=display_name]", "はなこ")
    page.fill("input[name=postal_code]", "104-0061")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/auth/confirm-email/")
    from tests.stack.conftest import confirmation_code_sent

    page.fill("input[name=code]", confirmation_code_sent(stack, "hanako.browser@example.com"))
    page.click("main form button[type=submit]:has-text('Confirm')")
    page.wait_for_url(lambda url: "/auth/confirm-email/" not in url)

    # Post an offer with two photos.
    page.goto("/listings/new/")
    page.fill("input[name=title]", "木製のベビーベッド")
    page.fill("textarea[name=description]", "折りたたみできます。取りに来られる方に。")
    page.select_option("select[name=category]", label="Baby and children's goods")
    page.select_option("select[name=condition]", value="good")  # none is preselected
    page.set_input_files("input[name=photos]", [str(_photo(tmp_path / "a.jpg", (200, 60, 60))), str(_photo(tmp_path / "b.jpg", (60, 60, 200)))])
    # Each photo uploads as soon as it is chosen (static/js/photo-upload.js) and comes back ticked.
    from playwright.sync_api import expect

    expect(page.locator("input[name=uploads]:checked")).to_have_count(2)
    page.click("form.stacked-form button[type=submit]:has-text('Publish')")
    page.wait_for_url(re.compile(r"/listings/\d+/$"))
    assert page.locator("h1").inner_text() == "木製のベビーベッド"
    assert page.locator(".gallery-thumbs img, .gallery-main img").count() >= 2
    _shot(page, "listing-phone")

    # Another resident finds it by a Japanese keyword and asks for it (desktop).
    asker_session = sign_up(stack, "taro.browser@example.com", "たろう", "103-0013")
    asker = _context(browser, stack, DESKTOP, session=asker_session)
    other = asker.new_page()
    other.goto("/listings/?q=べびー")
    other.click("text=木製のベビーベッド")
    other.click("text=I would like this")
    other.fill("textarea[name=body]", "ぜひ譲ってください。")
    other.click("main form button[type=submit]")
    other.wait_for_url(re.compile(r"/messages/\d+/$"))
    conversation_url = other.url

    # Both on the conversation page: a message arrives without reloading.
    page.goto(conversation_url)
    page.wait_for_selector("text=ぜひ譲ってください。")
    page.wait_for_timeout(500)  # the socket connects
    page.fill("textarea[name=body]", "土曜日の10時はいかがですか")
    page.click("#message-form button[type=submit]")
    other.wait_for_selector("text=土曜日の10時はいかがですか", timeout=10_000)
    _shot(other, "conversation-desktop")

    # The poster reserves for them, then marks it handed over.
    page.click("button:has-text('Reserve for this person')")
    page.wait_for_selector("button:has-text('Mark as handed over')")
    page.click("button:has-text('Mark as handed over')")
    page.click("button:has-text('Yes, mark as handed over')")  # an irreversible step asks first
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    page.goto("/listings/mine/")
    assert "Handed over" in page.content()

    # An anonymous board post.
    page.goto("/board/new/")
    page.select_option("select[name=topic]", value="nurseries")
    page.fill("input[name=title]", "慣らし保育の期間")
    page.fill("textarea[name=body]", "どのくらいでしたか？")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(re.compile(r"/board/threads/\d+/$"))
    html = page.content()
    assert "ID:" in html and "はなこ" not in html.split("<main", 1)[1]
    _shot(page, "board-thread-phone")
    poster.close()
    asker.close()


def _conversation_in_stack(stack, poster_email: str, asker_email: str) -> int:
    """A listing of the poster's and the asker's request for it, made in the stack's database."""
    import subprocess
    import sys

    code = (
        "from accounts.models import User; from tests.factories import make_listing; "
        "from messaging.services.conversations import conversation_start; "
        f"p = User.objects.get(email={poster_email!r}); a = User.objects.get(email={asker_email!r}); "
        "print(conversation_start(listing=make_listing(p, title='傘立て'), requester=a, body='ください').pk)"
    )
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=Path(__file__).resolve().parents[2],
                          env=stack.env, check=True, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_a_message_sent_while_the_connection_drops_arrives_once(browser, stack):
    import json

    poster = sign_up(stack, "drop.poster@example.com", "ぽすたー", "104-0061")
    asker = sign_up(stack, "drop.asker@example.com", "あすかー", "103-0013")
    conversation = _conversation_in_stack(stack, "drop.poster@example.com", "drop.asker@example.com")
    context = _context(browser, stack, PHONE, session=asker)
    page = context.new_page()
    sockets = []
    seen = set()

    def route(ws):
        server = ws.connect_to_server()
        sockets.append(ws)

        def from_page(message):
            data = json.loads(message)
            first_time = data.get("type") == "send" and data["body"] not in seen
            seen.add(data.get("body"))
            if first_time and data["body"] == "途中で消えた一通":
                ws.close(code=4000)  # lost on the way: the server never sees it
                return
            server.send(message)
            if first_time and data["body"] == "届いたが返事が消えた一通":
                ws.close(code=4000)  # stored, but the page never hears "sent"

        ws.on_message(from_page)

    page.route_web_socket(re.compile(r".*/ws/conversations/\d+/$"), route)
    page.goto(f"/messages/{conversation}/")
    page.wait_for_timeout(500)  # the socket connects
    for text in ("途中で消えた一通", "届いたが返事が消えた一通"):
        page.fill("textarea[name=body]", text)
        page.click("#message-form button[type=submit]")
        page.wait_for_selector(f"#messages-list li:has-text('{text}')", timeout=15_000)
    page.wait_for_timeout(1500)  # the resend's reply has come back
    assert len(sockets) >= 3  # it reconnected after each drop
    for text in ("途中で消えた一通", "届いたが返事が消えた一通"):
        assert page.locator(f"#messages-list li:has-text('{text}')").count() == 1
        stored = poster.get(f"{stack.url}/messages/{conversation}/", timeout=10).text
        assert stored.count(text) == 1, text  # stored once, also when sent twice
    assert page.input_value("textarea[name=body]") == ""
    context.close()


def test_older_messages_load_in_place_and_the_page_opens_at_the_newest(browser, stack):
    import subprocess
    import sys

    asker = sign_up(stack, "older.asker@example.com", "むかし", "103-0013")
    sign_up(stack, "older.poster@example.com", "いま", "104-0061")
    conversation = _conversation_in_stack(stack, "older.poster@example.com", "older.asker@example.com")
    code = (
        "from messaging.models import Conversation, Message; "
        f"c = Conversation.objects.get(pk={conversation}); "
        "Message.objects.bulk_create([Message(conversation=c, sender=c.listing.owner, body=f'古い{i}') for i in range(130)])"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=Path(__file__).resolve().parents[2], env=stack.env, check=True)
    context = _context(browser, stack, PHONE, session=asker)
    page = context.new_page()
    page.goto(f"/messages/{conversation}/")
    assert page.locator("#messages-list li").count() == 100
    assert page.locator("#messages-list li:has-text('古い129')").is_visible()  # opened at the newest
    assert page.evaluate("window.scrollY") > 0
    page.click("a[data-load-older]")
    page.wait_for_selector("#messages-list li:has-text('ください')")
    assert page.locator("#messages-list li").count() == 131
    assert page.locator("#messages-list li").first.inner_text().startswith("ください")
    assert page.url.endswith(f"/messages/{conversation}/")  # loaded in place, not a new page
    assert page.locator("a[data-load-older]").count() == 0  # nothing older left
    context.close()


def test_staff_approve_a_pending_listing_and_resolve_a_report(browser, stack):
    make_staff(stack, "officer@example.com", "staff-password-42")
    staff = _context(browser, stack, DESKTOP)
    page = staff.new_page()
    page.goto("/auth/login/")
    page.fill("input[name=login]", "officer@example.com")
    page.fill("input[name=password]", "staff-password-42")
    page.click("main form button[type=submit]")
    page.fill("input[name=code]", totp_now())
    page.click("main form button[type=submit]")
    page.goto("/staff/rules/")
    page.check("input[name=review_all]")
    page.click("main form button[type=submit]:has-text('Save')")

    resident = sign_up(stack, "ken.browser@example.com", "けん", "104-0052")
    resident_browser = _context(browser, stack, PHONE, session=resident)
    mine = resident_browser.new_page()
    mine.goto("/listings/new/")
    mine.fill("input[name=title]", "審査待ちの扇風機")
    mine.fill("textarea[name=description]", "まだ使えます。")
    mine.select_option("select[name=category]", label="Appliances")
    mine.select_option("select[name=condition]", value="good")
    mine.click("form.stacked-form button[type=submit]:has-text('Publish')")
    mine.wait_for_url(re.compile(r"/listings/\d+/$"))

    page.goto("/staff/listings/")
    assert "審査待ちの扇風機" in page.content()
    _shot(page, "staff-listing-review-desktop")
    page.locator("article", has_text="審査待ちの扇風機").locator("button:has-text('Publish')").click()
    page.wait_for_selector("text=is published")

    # Another resident reports it; staff dismiss the report and the reporter sees the outcome.
    reporter = sign_up(stack, "sakura.browser@example.com", "さくら", "104-0053")
    reporter_browser = _context(browser, stack, PHONE, session=reporter)
    report = reporter_browser.new_page()
    report.goto(mine.url)
    report.click("text=Report this listing")
    report.check("input[value=other]")
    report.click("main form button[type=submit]")
    page.goto("/staff/reports/")
    page.click("text=Handle")
    page.locator("form", has_text="Dismiss (nothing to do)").locator("textarea").fill("確認しました。問題ありません。")
    page.locator("form", has_text="Dismiss (nothing to do)").locator("button").click()
    report.goto("/account/reports/")
    assert "no action needed" in report.content()
    page.goto("/staff/rules/")
    page.uncheck("input[name=review_all]")
    page.click("main form button[type=submit]:has-text('Save')")
    for context in (staff, resident_browser, reporter_browser):
        context.close()


# The API's interactive documentation (/api/v1/docs) is django-ninja's Swagger UI for developers, not
# a page residents use; it is left out.
MAIN_PAGES = ["/", "/listings/", "/board/", "/board/facilities/", "/auth/login/", "/auth/signup/", "/auth/password/reset/"]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("viewport_name", ["phone", "desktop"])
def test_main_pages_have_no_serious_accessibility_violations(browser, stack, language, viewport_name):
    from axe_playwright_python.sync_playwright import Axe

    context = _context(browser, stack, PHONE if viewport_name == "phone" else DESKTOP, language=language)
    page = context.new_page()
    axe = Axe()
    problems = []
    page.goto("/listings/")
    details = [page.locator("a.card-link").first.get_attribute("href")] if page.locator("a.card-link").count() else []
    page.goto("/board/")
    threads = [page.locator(".thread-item a").first.get_attribute("href")] if page.locator(".thread-item a").count() else []
    for path in MAIN_PAGES + details + threads:
        page.goto(path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']}")
        slug = path.strip("/").replace("/", "-") or "home"
        _shot(page, f"{slug}-{viewport_name}-{language}")
    context.close()
    assert not problems, "\n".join(problems)
