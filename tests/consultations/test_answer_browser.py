"""Answering a consultation on a 360 px phone, in headless Chromium against the live test server:
a resident taps through every kind of question (one choice, several choices, the scale, a ranking
with a select per place, free text) in Japanese, another in English, and each answer is stored as
one ballot; the answer page never scrolls sideways and has no serious or critical axe-core
violation (as in tests/test_reflow.py), nor has the results page once the consultation has closed.

The live server runs in this process, so the suite's fixed clock holds for it too: the test closes
the consultation by moving that clock past its closing time, between the two browser sessions.
Everything that touches the database happens outside Playwright's event loop."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings

from consultations import services
from consultations.models import Ballot, Comment
from tests.browser import CHROMIUM, LAUNCH_ARGS, MEASURE, OVERFLOW, needs_chromium, session
from tests.consultations.conftest import make_consultation

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # restores the towns after the flush
]

PHONE = {"width": 360, "height": 740}
ANSWERED = {"ja": "回答済みです", "en": "You have answered."}
BY_TOWN = {"ja": "町名別", "en": "By town"}
TEXTS = {"ja": "ベンチを増やしてほしいです。", "en": "More shade, please."}


def _context(browser, live_server, language: str, cookie: str | None):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", has_touch=True, is_mobile=True)
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if cookie:
        cookies.append({"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url})
    context.add_cookies(cookies)
    return context


def _problems(page, axe, where: str) -> list[str]:
    """Sideways scrolling, small tap targets and serious or critical axe violations on the page."""
    found = []
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        found.append(f"{where}: {overflow['pageWidth']} px wide for {overflow['width']} px: " + "; ".join(overflow["elements"]))
    targets = page.evaluate(MEASURE)
    if targets:
        found.append(f"{where}: small targets: " + "; ".join(targets))
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            nodes = ", ".join(node["target"][0] for node in violation["nodes"][:3] if node["target"])
            found.append(f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']} [{nodes}]")
    return found


def _answer(page, questions: dict, options: dict, language: str) -> None:
    """Tap an answer to every question: the second option, the first two checkboxes, 4 on the
    scale, the ranking in reverse order, and a free text."""
    single, multiple, scale, ranking, text = (questions[kind] for kind in ("single", "multiple", "scale", "ranking", "text"))
    page.locator(f"input[name=q{single}][value='{options[single][1]}']").tap()
    for option in options[multiple][:2]:
        page.locator(f"input[name=q{multiple}][value='{option}']").tap()
    page.locator(f"input[name=q{scale}][value='4']").tap()
    for place, option in enumerate(reversed(options[ranking]), 1):
        page.locator(f"select[name=q{ranking}_{place}]").tap()
        page.select_option(f"select[name=q{ranking}_{place}]", value=str(option))
    page.locator(f"textarea[name=q{text}]").tap()
    page.fill(f"textarea[name=q{text}]", TEXTS[language])


def test_residents_answer_on_a_phone_in_both_languages_and_see_the_results(live_server, alice, bob, staff, clock, settings):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    settings.CONSULTATIONS_MIN_CELL = 1  # the results by town show with a handful of answers
    consultation = make_consultation(staff)
    questions = {q.kind: q.pk for q in consultation.questions.all()}
    options = {q.pk: list(q.options.values_list("pk", flat=True)) for q in consultation.questions.all()}
    residents = {"ja": session(alice), "en": session(bob)}
    detail, results = consultation.get_absolute_url(), f"{consultation.get_absolute_url()}results/"
    axe = Axe()
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for language, cookie in residents.items():
                page = _context(browser, live_server, language, cookie).new_page()
                page.goto(live_server.url + detail)
                expect(page.locator("html")).to_have_attribute("lang", language)
                problems += _problems(page, axe, f"answer page ({language})")
                _answer(page, questions, options, language)
                page.locator("form.stacked-form button[type=submit]").tap()
                page.wait_for_load_state()
                expect(page.locator("main")).to_contain_text(ANSWERED[language])
                problems += _problems(page, axe, f"answer page, answered ({language})")
        finally:
            browser.close()

    ballots = list(Ballot.objects.filter(consultation=consultation))
    assert len(ballots) == 2 and not any(ballot.paper for ballot in ballots)
    for ballot in ballots:
        assert ballot.answers == {
            str(questions["single"]): options[questions["single"]][1],
            str(questions["multiple"]): options[questions["multiple"]][:2],
            str(questions["scale"]): 4,
            str(questions["ranking"]): options[questions["ranking"]][::-1],
        }
    assert sorted(Comment.objects.values_list("text", flat=True)) == sorted(TEXTS.values())
    for comment in Comment.objects.all():
        services.comment_review(actor=staff, comment=comment, publish=True)
    clock.move_to(consultation.closes_at + timedelta(minutes=1))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for language, cookie in residents.items():
                page = _context(browser, live_server, language, cookie).new_page()
                page.goto(live_server.url + results)
                expect(page.locator("svg.result-chart")).to_have_count(4)
                expect(page.locator(".comment-list li")).to_have_count(2)
                expect(page.locator("main h3").first).to_have_text(BY_TOWN[language])
                problems += _problems(page, axe, f"results page ({language})")
                page.goto(live_server.url + detail)  # closed: no form any more
                expect(page.locator("form.stacked-form")).to_have_count(0)
                problems += _problems(page, axe, f"closed consultation ({language})")
        finally:
            browser.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
