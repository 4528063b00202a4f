"""Live messages in headless Chromium against the ASGI application (pages and websockets) served
by uvicorn in a thread of the test process: a message that arrives live is the same markup as
the same message after a reload, Report link included."""

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    # WhiteNoise hands the script to Django's ASGI handler as a synchronous iterator (production
    # serves static files from nginx).
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
    # serialized_rollback restores the towns after the flush; the server's threads read committed rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def asgi_server(transactional_db):
    """The site's ASGI application (config.asgi) on a free loopback port: pages and websockets.
    In this process, so it shares the test database and the suite's clock."""
    import uvicorn

    from config.asgi import application

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(application, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _open(browser, base_url: str, session: str, path: str, errors: list):
    """A signed-in page on the conversation, returned once its websocket is open (and so subscribed)."""
    context = browser.new_context(base_url=base_url)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _frame: opened.append(True)))
    page.goto(path)
    deadline = time.monotonic() + 10
    while not opened:  # the page's first frame (resume): the socket is open, so subscribed
        assert time.monotonic() < deadline, "the conversation socket did not open"
        page.wait_for_timeout(50)
    return page


def _outer_html(page, message_id: int) -> str:
    """The message element as the browser holds it, whitespace normalised."""
    return " ".join(page.eval_on_selector(f"#m{message_id}", "item => item.outerHTML").split())


def test_a_live_message_is_the_same_markup_as_after_a_reload_with_its_report_link(asgi_server, conversation, alice, bob):
    from playwright.sync_api import sync_playwright

    # Everything that touches the database happens before Playwright starts its event loop.
    from messaging.models import Message

    path = conversation.get_absolute_url()
    alice_session, bob_session = _session(alice), _session(bob)
    errors: list[str] = []
    text = "土曜日の10時に\n取りに伺えます <b>よろしく</b>"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            alice_page = _open(browser, asgi_server, alice_session, path, errors)
            bob_page = _open(browser, asgi_server, bob_session, path, errors)
            # Bob writes; it reaches Alice's open page without a reload.
            bob_page.fill("textarea[name=body]", text)
            bob_page.click("#message-form button[type=submit]")
            live = alice_page.wait_for_selector("#messages-list li.msg-theirs:has-text('取りに伺えます')", timeout=10_000)
            message_id = int(live.get_attribute("data-id"))
            assert live.eval_on_selector("a.msg-report", "link => link.getAttribute('href')") == f"/messages/message/{message_id}/report/"
            assert live.eval_on_selector(".msg-body", "body => body.innerHTML") == "土曜日の10時に<br>取りに伺えます &lt;b&gt;よろしく&lt;/b&gt;"
            # On Bob's page his own copy is marked seen once Alice's page has read it.
            bob_page.wait_for_selector(f"#m{message_id} .msg-seen:not([hidden])", timeout=10_000)
            live_for_alice, live_for_bob = _outer_html(alice_page, message_id), _outer_html(bob_page, message_id)
            alice_page.reload()
            bob_page.reload()
            assert _outer_html(alice_page, message_id) == live_for_alice
            assert _outer_html(bob_page, message_id) == live_for_bob
            assert 'class="msg msg-theirs"' in live_for_alice and 'class="msg msg-mine"' in live_for_bob
            assert "msg-report" not in live_for_bob
        finally:
            browser.close()
    assert not errors, errors
    assert Message.objects.get(pk=message_id).body == text


def test_a_live_message_with_a_phone_number_asks_first_and_goes_only_once_confirmed(asgi_server, conversation, bob):
    from playwright.sync_api import sync_playwright

    from messaging.models import Message

    path = conversation.get_absolute_url()
    bob_session = _session(bob)
    before = Message.objects.count()
    errors: list[str] = []
    questions: list[str] = []
    answers = [False, True]  # "Cancel" first: the text comes back to the box; then "OK"
    text = "090-1234-5678 に電話ください"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = _open(browser, asgi_server, bob_session, path, errors)

            def answer(dialog):
                questions.append(dialog.message)
                dialog.accept() if answers.pop(0) else dialog.dismiss()

            page.on("dialog", answer)
            page.fill("textarea[name=body]", text)
            page.click("#message-form button[type=submit]")
            deadline = time.monotonic() + 10
            while not questions:
                assert time.monotonic() < deadline, "the page did not ask"
                page.wait_for_timeout(50)
            # Not sent: back in the box.
            page.wait_for_function("text => document.querySelector('textarea[name=body]').value === text", arg=text, timeout=10_000)
            page.click("#message-form button[type=submit]")
            page.wait_for_selector("#messages-list li.msg-mine:has-text('090-1234-5678')", timeout=10_000)
        finally:
            browser.close()
    assert not errors, errors
    assert len(questions) == 2 and all("090-1234-5678" in question for question in questions)
    assert Message.objects.count() == before + 1 and Message.objects.latest("pk").body == text
