"""Large text and reflow on the narrowest phone (WCAG 2.2: 1.4.4 Resize Text, 1.4.10 Reflow,
2.5.8 Target Size), in headless Chromium against the live test server: every page, in Japanese
and in English, at 320 CSS px wide with the text at 100 %, 150 % and 200 %, never scrolls sideways
(`document.documentElement.scrollWidth <= window.innerWidth`; a failure names the elements that
stick out), keeps every tap target at least 24×24 px (44 px tall for primary buttons, the rule
and its one exemption as in tests/test_tap_targets.py), and has no serious or critical axe-core
violation (run once per page and language, at 200 %; no rule disabled, as in
tests/stack/test_browser.py).

How the text is enlarged: with Chromium's own font-size setting, the default font size
(chrome://settings/fonts, sent as the DevTools command Page.setFontSizes), set to 24 px or 32 px
instead of 16 px. That is what a reader's text-size setting changes: `medium`, hence 1rem and
every rem or em size, grows; whatever the site sets in px does not (which is why site.css sizes
text in rem only: a px font size is exactly what the reader's setting would miss). The page is
loaded once per language, then measured at each size. (Two px sizes remain, neither a page's text:
the bar charts' labels on the staff impact page are SVG user units that scale with the chart, and
the print stylesheet's 11pt is paper.)

Run time: one browser, one context per role, one load per page and language; the whole walk (about
105 pages × 2 languages × 3 sizes, axe included) takes about 2 minutes on a 2-core machine, so every
size runs on every page.

Every page: the rows of the authorization matrix (tests/authorization/table_*.py) whose GET gives
some role a page (200), each seen as the first of resident (Alice, who owns the objects), other
(Bob), staff (second factor passed), visitor, unverified, suspended, superuser that gets it, in the
matrix's world (tests/authorization/world.py) plus a few pages seen by others (the header of a
visitor, the suspension banner), the error pages, a search with results and a conversation with
long words, a long name and a long URL. A URL name that gives nobody a page on GET (POST-only,
redirects, refusals) is left out by the matrix itself; the others that are not walked are in
NOT_PAGES with the reason, and test_every_url_name_is_walked_or_has_a_reason keeps the lists honest.
"""

import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.authorization import table_site, table_staff
from tests.authorization.matrix import parse, url_patterns
from tests.browser import CHROMIUM, LAUNCH_ARGS, MEASURE, OVERFLOW, needs_chromium, set_text_size

SIZES = (100, 150, 200)
LANGUAGES = ("ja", "en")
PHONE = {"width": 320, "height": 640}
ROLE_ORDER = ("resident", "other", "staff", "visitor", "unverified", "suspended", "superuser")
ROWS = parse(table_site.TABLE) + parse(table_staff.TABLE)

# URL names whose GET answers, but not with a page of the site, and why they are not walked.
NOT_PAGES = {
    "notifications:push_subscribe": "JSON endpoint of the settings page's script (POST only)",
    "notifications:push_unsubscribe": "form and JSON endpoint (POST only)",
    "notifications:push_off": "the notification's off button (POST only)",
    "lineoa:webhook": "LINE's webhook (POST only, signed JSON)",
    "lineoa:link": "redirects to LINE's account-link dialog",
    "lineoa:unlink": "the settings page's unlink button (POST only)",
    "healthz": "health probe (plain text for the load balancer)",
    "livez": "health probe (plain text for the load balancer)",
    "readyz": "health probe (JSON for the load balancer)",
    "listing_photo": "an image file",
    "consultations:results_csv": "the results as a CSV download",
    "consultations:attachment": "a PDF document",
    "listings:upload_thumbnail": "an image file (a photo waiting in the upload area)",
    "accounts:export": "the resident's data as a JSON download",
    "accounts:export_zip": "the resident's data as a ZIP download",
    "messaging:history": "JSON for the chat's reconnection",
    "api:openapi-json": "the API's OpenAPI schema (JSON)",
    "api:openapi-view": "django-ninja's Swagger UI for developers, not a page of the site",
    "api:list_listings": "JSON API",
    "api:get_listing": "JSON API",
    "api:list_categories": "JSON API",
    "api:list_towns": "JSON API",
    "api:list_consultations": "JSON API",
    "api:get_consultation": "JSON API",
    "mirror:feed": "Atom feed (XML)",
    "mirror:consultations_feed": "Atom feed (XML)",
    "manifest": "the web app manifest (JSON)",
    "service_worker": "the service worker's script",
    "moderation:audit_log_csv": "CSV download",
    "moderation:impact_csv": "CSV download",
}
ADMIN = "Django's admin (its own stylesheet, superusers only), not a page of the site"


def _walked_rows():
    for row in ROWS:
        if "GET" in row.methods and row.name not in NOT_PAGES and "200" in row.expected.values():
            # allauth's pages for the signed-out (confirming someone else's address signs one out)
            signed_out = row.name.startswith(("account_", "socialaccount_")) and row.expected["visitor"] == "200"
            yield row, "visitor" if signed_out else next(role for role in ROLE_ORDER if row.expected[role] == "200")


def test_every_url_name_is_walked_or_has_a_reason():
    served = {name for name, _route, _view in url_patterns()}
    walked = {row.name for row, _role in _walked_rows()}
    no_page_on_get = {row.name for row in ROWS if row.name not in walked}  # the matrix says what each gives instead
    admin = {name for name in served if name.startswith(("admin:", "admin/"))}
    assert sorted(served - walked - no_page_on_get - NOT_PAGES.keys() - admin) == [], "pages the walk misses"
    assert sorted(NOT_PAGES.keys() - served) == [], "reasons for URL names that are gone"


def _extra_world(world, *, alice, bob):
    """Long words, a long name and a long URL: the conversation that was 387–432 px wide on a
    360 px phone at 130–150 % text, and its listing, board thread and inbox entries."""
    from community.models import Topic
    from community.services import post_reply, thread_create
    from messaging.services.conversations import conversation_start, message_send
    from tests.factories import make_listing, make_user

    url = "https://www.city.chuo.lg.jp/kurashi/gomi/recycle/sodaigomi/dashikata-to-ryokin.html"
    listing = make_listing(alice, title="Oak-bookshelf-with-adjustable-shelves 木製本棚（幅90cm×高さ180cm）", photos=1,
                           description="Self-assembled-bookshelf-in-excellent-condition. 取りに来られる方に。")
    asker = make_user(email="maximilian@example.com", name="Maximilian-Alexander-Hoffmann", postal_code="1040052")
    conversation = conversation_start(listing=listing, requester=asker, body=f"Extraordinarily-interested! 受け取り方は {url} の通りですか？")
    message_send(conversation=conversation, sender=alice, body=f"はい、{url} の通りです。Unfortunately-unassemblable.")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="Recycling-centre-opening-hours 粗大ごみの出し方について教えてください", body="Chuo-ku-recycling-information-desk の案内を読みました。")
    post_reply(thread=thread, author=bob, body="Thanks-for-the-information-about-the-schedule")
    # A sign-up waiting for its emailed code: the code page answers only in that session.
    from django.test import Client

    from tests.accounts.test_signup import SIGNUP

    signing_up = Client()
    signing_up.post(reverse("account_signup"), {**SIGNUP, "email": "waiting-for-the-code@example.com"})
    world.sessions["signing up"] = signing_up.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [
        ("signing up", reverse("account_email_verification_sent")),
        ("resident", conversation.get_absolute_url()),
        ("other", listing.get_absolute_url()),
        ("other", thread.get_absolute_url()),
    ]


def _visits(world, extra):
    visits = [(role, row.url(world), row.name) for row, role in _walked_rows()]
    visits += [(role, path, "long content") for role, path in extra]
    visits += [
        ("visitor", "/", "home"),  # the signed-out header
        ("visitor", "/listings/?q=本棚&free=on", "listings:browse"),  # a search with results
        ("unverified", "/", "home"),
        ("suspended", "/", "home"),  # the suspension banner
        ("visitor", "/listings/999999/", "404"),
        ("resident", "/staff/", "403"),
    ]
    return visits


@needs_chromium
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # restores the towns after the flush
def test_every_page_reflows_at_320_px_with_text_up_to_200_percent(live_server, alice, bob, carol, staff):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.authorization.world import build_world

    # Everything that touches the database happens before Playwright starts its event loop.
    world = build_world(alice=alice, bob=bob, carol=carol, staff=staff)
    visits = _visits(world, _extra_world(world, alice=alice, bob=bob))
    axe = Axe()
    problems: list[str] = []
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        tabs = {}  # role -> (context, page, DevTools session): one each, reused for every page
        try:
            for language in LANGUAGES:
                for role, path, name in visits:
                    if role not in tabs:
                        context = browser.new_context(viewport=PHONE, locale="ja-JP" if language == "ja" else "en-US")
                        if world.sessions[role]:
                            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": world.sessions[role], "url": live_server.url}])
                        page = context.new_page()
                        tabs[role] = (context, page, context.new_cdp_session(page))
                    context, page, cdp = tabs[role]
                    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
                    where = f"{path} ({name}, {role}, {language})"
                    set_text_size(cdp, SIZES[0])
                    response = page.goto(live_server.url + path)
                    expected = int(name) if name.isdigit() else 200
                    if response.status != expected or not response.headers.get("content-type", "").startswith("text/html"):
                        problems.append(f"{where}: {response.status} {response.headers.get('content-type')}, not a page: fix the walk")
                        continue
                    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
                    for size in SIZES:
                        set_text_size(cdp, size)
                        overflow = page.evaluate(OVERFLOW)
                        if overflow:
                            problems.append(f"{where} at {size} %: {overflow['pageWidth']} px wide for {overflow['width']} px:\n    "
                                            + "\n    ".join(overflow["elements"]))
                        targets = page.evaluate(MEASURE)
                        if targets:
                            problems.append(f"{where} at {size} %: small targets:\n    " + "\n    ".join(targets))
                    for violation in axe.run(page).response["violations"]:
                        if violation["impact"] in ("serious", "critical"):
                            nodes = ", ".join(node["target"][0] for node in violation["nodes"][:3] if node["target"])
                            problems.append(f"{where} at 200 %: axe {violation['id']} ({violation['impact']}): {violation['help']} [{nodes}]")
        finally:
            browser.close()
    print(f"walked {len(visits)} pages × {len(LANGUAGES)} languages × {len(SIZES)} sizes in {time.monotonic() - started:.0f} s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
