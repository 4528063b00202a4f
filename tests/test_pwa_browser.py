"""The installable app in headless Chromium against the live test server (localhost, which counts
as a secure origin): Chromium finds nothing missing to install it, the service worker controls the
page, pages that cannot be reached show the offline page while nothing personal is ever kept, and
a push message shows its notice, whose click opens the conversation and whose "off" action tells
the site.

What cannot be done headless is a person's click on the system's notice. The tests dispatch a
`notificationclick` event built in the worker (`new NotificationEvent(...)`, with the notice the
push showed, from `registration.getNotifications()`) to the worker's own listener; as a built event
cannot extend the worker's life, its `waitUntil` hands the test the promise the listener passes.
Chromium lets a worker focus or open a window only after a real click, so these clicks reach the
page by navigating a window of the site that is already open."""

import json
from contextlib import ExitStack

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.browser import CHROMIUM, LAUNCH_ARGS, needs_chromium, session

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]  # restores the towns

OFFLINE_TEXT = "接続を確認してから、もう一度お試しください。"
OFF_URL = "/notifications/push/off/signed-token/"  # the notifications app's route (not in this branch)
# In the worker. WATCH: keeps the promise of every showNotification call (Chromium may drop a
# notice asked for while it is still being shown, so the test waits for them before looking).
# NOTICES: the notices shown. CLICK: builds a click on the notice with this tag, dispatches it to
# the worker's own listener and waits for the promise the listener hands waitUntil.
WATCH = """() => {
  const registration = self.registration;
  const show = registration.showNotification.bind(registration);
  self.showing = [];
  registration.showNotification = (...args) => { const shown = show(...args); self.showing.push(shown); return shown; };
}"""
NOTICES = """async () => {
  await Promise.all(self.showing);
  return (await self.registration.getNotifications()).map((n) => (
    {title: n.title, body: n.body, tag: n.tag, lang: n.lang, data: n.data, actions: n.actions.map((a) => [a.action, a.title])}));
}"""
CLICK = """async ([tag, action]) => {
  const [notification] = await self.registration.getNotifications({tag});
  const event = new NotificationEvent("notificationclick", {notification, action});
  let handled = null;
  Object.defineProperty(event, "waitUntil", {value: (promise) => { handled = promise; }});
  self.dispatchEvent(event);
  if (!handled) { throw new Error("the listener handed waitUntil nothing"); }
  await handled;
}"""


@pytest.fixture
def launch(live_server, tmp_path):
    """Starts Chromium with a profile on disk (Chromium installs no app from an incognito one),
    signed in with a session cookie if given. Playwright runs an event loop in the test's thread,
    so the test touches the database (fixtures, session cookies) before it calls this."""
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:

        def start(cookie: str | None = None):
            playwright = stack.enter_context(sync_playwright())
            context = playwright.chromium.launch_persistent_context(
                tmp_path / "profile", executable_path=CHROMIUM, args=LAUNCH_ARGS, base_url=live_server.url, locale="ja-JP")
            stack.callback(context.close)
            if cookie:
                context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            return context

        yield start


@pytest.fixture
def conversation(alice, bob):
    """Bob asked Alice for her bookshelf."""
    from messaging.services.conversations import conversation_start
    from tests.factories import make_listing

    return conversation_start(listing=make_listing(alice, title="本棚"), requester=bob, body="ぜひ譲ってください")


def _controlled(page) -> None:
    """Waits until the service worker controls the page (it claims the pages open at install)."""
    page.evaluate("""() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller
      || new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve)))""")


def test_chromium_finds_the_site_installable_and_the_worker_controls_the_page(launch, live_server):
    context = launch()
    page = context.pages[0]  # the window a profile opens with
    page.goto("/")
    _controlled(page)
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL") == live_server.url + "/sw.js"
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert json.loads(manifest["data"])["short_name"] == "もったいない"


def test_offline_pages_show_the_offline_page_and_nothing_personal_is_kept(launch, live_server, conversation, bob):
    from playwright.sync_api import expect

    context = launch(session(bob))
    page = context.pages[0]  # the window a profile opens with
    page.goto("/")
    _controlled(page)
    for path in (reverse("messaging:inbox"), conversation.get_absolute_url(), reverse("accounts:profile"), "/api/v1/listings"):
        assert page.goto(path).ok, path
    kept = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) { urls.push(new URL(request.url).pathname); }
      }
      return urls;
    }""")
    assert "/offline/" in kept and all(url == "/offline/" or url.startswith("/static/") for url in kept), kept

    context.set_offline(True)
    static = []
    page.on("response", lambda response: static.append(response) if "/static/" in response.url else None)
    for path in (reverse("listings:browse"), reverse("messaging:inbox"), conversation.get_absolute_url()):
        response = page.goto(path)
        assert response.from_service_worker and page.url == live_server.url + path
        expect(page.locator("h1")).to_have_text("オフラインです")
        expect(page.locator("main")).to_contain_text(OFFLINE_TEXT)
        expect(page.locator("main")).not_to_contain_text("本棚")
        # The retry link reloads the address that was asked for.
        assert page.locator("main a.button").evaluate("link => link.href") == live_server.url + path
    stylesheet = [response for response in static if response.url.endswith("/css/site.css")]
    assert stylesheet and all(response.ok and response.from_service_worker for response in stylesheet)
    assert page.locator("main a.button").evaluate("link => getComputedStyle(link).backgroundColor") == "rgb(0, 17, 143)"
    context.set_offline(False)
    assert page.goto(reverse("messaging:inbox")).ok
    expect(page.locator("main")).to_contain_text("本棚")


def _signed_in_with_notices(launch, live_server, path, user=None):
    """A page of the site controlled by the worker, notices allowed; the worker, watched."""
    context = launch(session(user) if user else None)
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.pages[0]  # the window a profile opens with
    page.goto(path)
    _controlled(page)
    [worker] = context.service_workers
    worker.evaluate(WATCH)
    return context, page, worker


def _push(context, page, *payloads) -> None:
    """Delivers push messages to the page's service worker, as DevTools' Push button does."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    while not registrations:
        page.wait_for_timeout(50)
    origin = page.evaluate("() => location.origin")
    for payload in payloads:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        cdp.send("ServiceWorker.deliverPushMessage", {"origin": origin, "registrationId": registrations[0]["registrationId"], "data": data})
    cdp.detach()


def _notices(page, worker, count: int) -> list[dict]:
    """The notices shown, once `count` were asked for."""
    for _ in range(100):
        if worker.evaluate("() => self.showing.length") >= count:
            break
        page.wait_for_timeout(50)
    return worker.evaluate(NOTICES)


def _closed(page, worker) -> bool:
    for _ in range(100):
        if not worker.evaluate("async () => (await self.registration.getNotifications()).length"):
            return True
        page.wait_for_timeout(50)
    return False


def test_a_push_shows_its_notice_and_a_click_opens_the_conversation(launch, live_server, conversation, alice):
    from playwright.sync_api import expect

    path = conversation.get_absolute_url()
    context, page, worker = _signed_in_with_notices(launch, live_server, reverse("messaging:inbox"), alice)
    tag = f"conversation-{conversation.pk}"
    _push(context, page, "not JSON", {"body": "no title"}, {
        "title": "ぼぶさんからメッセージ", "body": "ぜひ譲ってください", "url": path, "tag": tag,
        "off_url": OFF_URL, "off_label": "通知を止める", "lang": "ja"})
    assert _notices(page, worker, 1) == [{
        "title": "ぼぶさんからメッセージ", "body": "ぜひ譲ってください", "tag": tag, "lang": "ja",
        "data": {"url": live_server.url + path, "off_url": live_server.url + OFF_URL}, "actions": [["off", "通知を止める"]],
    }]
    assert worker.evaluate("() => self.showing.length") == 1  # the two broken messages showed nothing

    worker.evaluate(CLICK, [tag, ""])
    assert _closed(page, worker)
    expect(page).to_have_url(live_server.url + path)  # the inbox window went to the conversation
    expect(page.locator("#message-form textarea[name=body]")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("本棚")
    assert len(context.pages) == 1  # and no other window opened


def test_the_off_action_posts_to_its_address_without_cookies_and_unsubscribes(launch, live_server, bob):
    posted = []

    def record(route):
        posted.append((route.request.method, route.request.url, route.request.all_headers()))
        route.fulfill(status=204)

    context, page, worker = _signed_in_with_notices(launch, live_server, "/", bob)
    context.route("**/notifications/push/off/**", record)
    # Headless Chromium has no push service to subscribe to: the worker is given a subscription
    # that records its unsubscribe() call.
    worker.evaluate("""() => {
      self.unsubscribed = false;
      self.registration.pushManager.getSubscription = async () => ({unsubscribe: async () => { self.unsubscribed = true; return true; }});
    }""")
    _push(context, page, {"title": "お知らせ", "body": "新着", "url": "/messages/", "tag": "t", "off_url": OFF_URL, "off_label": "通知を止める", "lang": "ja"})
    assert len(_notices(page, worker, 1)) == 1
    worker.evaluate(CLICK, ["t", "off"])
    assert _closed(page, worker)
    [(method, url, headers)] = posted
    assert method == "POST" and url == live_server.url + OFF_URL and "cookie" not in headers
    assert worker.evaluate("() => self.unsubscribed") is True
    assert page.url == live_server.url + "/"  # the off action opens nothing


def test_a_notice_opens_only_pages_of_the_site(launch, live_server):
    context, page, worker = _signed_in_with_notices(launch, live_server, "/")
    _push(context, page, {"title": "x", "url": "https://example.com/", "tag": "away", "off_url": "//example.com/off", "off_label": "止める"})
    [notice] = _notices(page, worker, 1)
    assert notice["data"] == {"url": live_server.url + "/", "off_url": None} and notice["actions"] == []
