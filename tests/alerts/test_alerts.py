import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Town
from alerts import matching, services
from alerts.models import Alert, SavedSearch
from listings.lifecycle import Action
from listings.models import Category, Listing
from listings.services import listing_transition
from tests.factories import make_listing


@pytest.fixture
def stroller_search(bob):
    """Bob wants a stroller (any kind of ベビーカー) and hears at once."""
    return services.saved_search_create(user=bob, q="べびーかー", frequency=SavedSearch.Frequency.INSTANT)


def _publish(owner, capture, **kwargs):
    with capture(execute=True):
        return make_listing(owner, **kwargs)


@pytest.mark.django_db
def test_a_resident_saves_the_current_search_from_the_browse_page(bob_client, bob):
    page = bob_client.get(reverse("listings:browse"), {"q": "本棚", "free": "on", "category": "furniture"})
    assert "Save this search" in page.content.decode() or "この検索を保存" in page.content.decode()
    response = bob_client.post(reverse("alerts:save"), {"q": "本棚", "free": "on", "category": "furniture"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=bob)
    assert (saved.q, saved.free, saved.category.slug, saved.terms) == ("本棚", True, "furniture", ["本棚"])


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{"q": "棚" * 101}, {"q": "本棚", "town": "99999"}, {}, {"q": "  "}])
def test_a_search_that_is_not_valid_or_empty_is_not_saved(bob_client, bob, posted):
    response = bob_client.post(reverse("alerts:save"), posted, follow=True)

    assert not SavedSearch.objects.exists()
    assert "この検索を保存できませんでした。" in response.content.decode()


@pytest.mark.django_db
def test_saving_the_same_search_twice_says_it_is_already_saved(bob_client, bob):
    bob_client.post(reverse("alerts:save"), {"q": "木製 ｲｽ", "free": "on"})

    response = bob_client.post(reverse("alerts:save"), {"q": "イス 木製", "free": "on"}, follow=True)

    assert SavedSearch.objects.filter(user=bob).count() == 1
    assert "この検索はすでに保存されています。" in response.content.decode()
    bob_client.post(reverse("alerts:save"), {"q": "木製 ｲｽ"})  # not only free ones: another search
    assert SavedSearch.objects.filter(user=bob).count() == 2


@pytest.mark.django_db
def test_an_instant_search_emails_at_once_with_a_working_unsubscribe_link(client, alice, bob, stroller_search, django_capture_on_commit_callbacks):
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー", description="A型")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [bob.email] and "ベビーカー" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    link = re.search(r"https?://\S+/alerts/unsubscribe/\S+/", email.body).group(0)
    path = link.split("127.0.0.1:8000")[-1]
    assert client.get(path).status_code == 200  # asks, without login
    assert client.post(path).status_code == 200
    stroller_search.refresh_from_db()
    assert not stroller_search.is_active
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー2")
    assert len(mail.outbox) == 1  # stopped


@pytest.mark.django_db
def test_every_instant_search_a_new_listing_matches_is_emailed_and_daily_ones_wait(alice, django_capture_on_commit_callbacks):
    from tests.factories import make_user

    instant = [make_user(email=f"instant{i}@example.com") for i in range(3)]
    daily = make_user(email="daily@example.com")
    for user in instant:
        services.saved_search_create(user=user, q="ベビーカー", frequency=SavedSearch.Frequency.INSTANT)
    services.saved_search_create(user=daily, q="ベビーカー", frequency=SavedSearch.Frequency.DAILY)

    listing = _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー", description="A型")

    assert sorted(email.to[0] for email in mail.outbox) == sorted(user.email for user in instant)
    assert Alert.objects.filter(listing=listing).count() == 4
    assert Alert.objects.filter(listing=listing, sent_at__isnull=True).get().saved_search.user == daily


@pytest.mark.django_db
def test_an_alert_email_is_all_japanese_even_when_sent_from_an_english_request(alice, bob, stroller_search, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"):
        _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー")

    [email] = mail.outbox
    assert "Stop these alerts" not in email.body
    assert "このお知らせを停止する：" in email.body


@pytest.mark.django_db
def test_at_most_one_instant_email_an_hour_the_rest_wait_for_the_digest(alice, bob, stroller_search, django_capture_on_commit_callbacks):
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー 1")
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー 2")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alert_digests")
    assert len(mail.outbox) == 2 and "ベビーカー 2" in mail.outbox[1].body
    later = timezone.now() + timedelta(minutes=61)
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー 3")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.instant_send(saved_search_id=stroller_search.pk, now=later)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_daily_search_waits_for_the_digest(alice, bob, django_capture_on_commit_callbacks):
    services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.DAILY)
    _publish(alice, django_capture_on_commit_callbacks, title="本棚 A")
    _publish(alice, django_capture_on_commit_callbacks, title="白い本棚")
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alert_digests")
    assert len(mail.outbox) == 1 and "本棚 A" in mail.outbox[0].body and "白い本棚" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alert_digests")
    assert len(mail.outbox) == 1  # nothing new


@pytest.mark.django_db
def test_a_badge_search_sends_nothing_and_counts_new_items_since_the_last_visit(bob_client, alice, bob, django_capture_on_commit_callbacks):
    saved = services.saved_search_create(user=bob, q="机", frequency=SavedSearch.Frequency.BADGE)
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now() - timedelta(minutes=5))
    _publish(alice, django_capture_on_commit_callbacks, title="学習机")
    call_command("send_alert_digests")
    assert not mail.outbox
    page = bob_client.get(reverse("alerts:list"))
    assert [s.new_count for s in page.context["saved_searches"]] == [1]
    bob_client.get(reverse("alerts:results", args=[saved.pk]))
    assert [s.new_count for s in bob_client.get(reverse("alerts:list")).context["saved_searches"]] == [0]


@pytest.mark.django_db
def test_new_since_the_last_visit_counts_only_what_the_resident_has_not_seen(bob_client, alice, bob, django_capture_on_commit_callbacks):
    saved = services.saved_search_create(user=bob, q="机", frequency=SavedSearch.Frequency.BADGE)
    renewed = _publish(alice, django_capture_on_commit_callbacks, title="古い机")
    hour_ago = timezone.now() - timedelta(hours=1)
    Listing.objects.filter(pk=renewed.pk).update(published_at=hour_ago, first_published_at=hour_ago)
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        renewed = listing_transition(listing=Listing.objects.get(pk=renewed.pk), action=Action.EXPIRE)
        listing_transition(listing=renewed, action=Action.RENEW, actor=alice)  # seen before: not new again
    hidden = _publish(alice, django_capture_on_commit_callbacks, title="折りたたみ机")
    bob_client.post(reverse("listings:not_interested", args=[hidden.pk]))
    _publish(bob, django_capture_on_commit_callbacks, title="bobの机")  # his own
    _publish(alice, django_capture_on_commit_callbacks, title="学習机")

    page = bob_client.get(reverse("alerts:list"))

    assert [s.new_count for s in page.context["saved_searches"]] == [1]
    assert "新着 1件" in page.content.decode()


@pytest.mark.django_db
def test_the_saved_searches_page_costs_the_same_for_one_search_or_many(bob_client, alice, bob, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert bob_client.get(reverse("alerts:list")).status_code == 200
        return len(ctx.captured_queries)

    services.saved_search_create(user=bob, q="机", frequency=SavedSearch.Frequency.BADGE)
    _publish(alice, django_capture_on_commit_callbacks, title="学習机")
    one = queries()
    for word in ["本棚", "椅子", "自転車", "絵本", "ソファ"]:
        services.saved_search_create(user=bob, q=word, frequency=SavedSearch.Frequency.BADGE)
        _publish(alice, django_capture_on_commit_callbacks, title=f"白い{word}")
    assert queries() == one


@pytest.mark.django_db
def test_the_site_header_links_to_saved_searches_while_badge_searches_have_new_items(bob_client, alice, bob, django_capture_on_commit_callbacks):
    link = f'href="{reverse("alerts:list")}" data-saved-search-link'
    saved = services.saved_search_create(user=bob, q="机", frequency=SavedSearch.Frequency.BADGE)
    services.saved_search_create(user=bob, q="学習", frequency=SavedSearch.Frequency.BADGE)
    assert link not in bob_client.get(reverse("home")).content.decode()

    _publish(alice, django_capture_on_commit_callbacks, title="学習机")  # found by both searches: one item

    page = bob_client.get(reverse("home")).content.decode()
    assert link in page
    assert re.search(r'data-saved-search-link>保存した検索 <span class="badge badge-count">1<span class="visually-hidden"> 件の新着</span>', page)
    bob_client.get(reverse("alerts:results", args=[saved.pk]))
    bob_client.get(reverse("alerts:results", args=[saved.pk + 1]))
    assert link not in bob_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_header_badge_costs_one_query_whatever_the_number_of_searches(bob_client, alice, bob, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert bob_client.get(reverse("listings:browse")).status_code == 200
        return len(ctx.captured_queries)

    _publish(alice, django_capture_on_commit_callbacks, title="ランプ")  # cards cost the same from one on
    none = queries()
    for word in ["本棚", "椅子", "自転車", "絵本"]:
        services.saved_search_create(user=bob, q=word, frequency=SavedSearch.Frequency.BADGE)
        _publish(alice, django_capture_on_commit_callbacks, title=f"白い{word}")
    assert queries() == none


@pytest.mark.django_db
def test_filters_decide_what_matches(alice, bob, django_capture_on_commit_callbacks):
    furniture = Category.objects.get(slug="furniture")
    services.saved_search_create(user=bob, category=furniture, free=True, town=Town.objects.get(name="銀座"))
    assert Alert.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_listing(alice, title="有料の椅子", price=500)
        make_listing(alice, title="月島の椅子", town=Town.objects.get(name="月島"))
        make_listing(alice, title="家電", category=Category.objects.get(slug="appliances"))
        match = make_listing(alice, title="無料の椅子")
    assert list(Alert.objects.values_list("listing", flat=True)) == [match.pk]


@pytest.mark.django_db
def test_renewed_or_republished_listings_do_not_alert_again(alice, bob, stroller_search, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(alice, title="ベビーカー")
        listing = listing_transition(listing=listing, action=Action.EXPIRE)
        listing_transition(listing=listing, action=Action.RENEW, actor=alice)
    assert Alert.objects.filter(listing=listing).count() == 1


@pytest.mark.django_db
def test_a_search_saved_after_a_listing_went_up_does_not_alert_about_it(alice, bob):
    listing = make_listing(alice, title="本棚")  # the worker has not matched it yet
    services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.INSTANT)

    assert matching.listing_published(listing=listing) == 0
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_nobody_is_alerted_about_their_own_listing(alice, django_capture_on_commit_callbacks):
    services.saved_search_create(user=alice, q="本棚")
    with django_capture_on_commit_callbacks(execute=True):
        make_listing(alice, title="本棚")
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_not_interested_hides_a_listing_from_results_and_alerts(bob_client, alice, bob, django_capture_on_commit_callbacks):
    services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.DAILY)
    listing = _publish(alice, django_capture_on_commit_callbacks, title="本棚")
    bob_client.post(reverse("listings:not_interested", args=[listing.pk]))
    assert "本棚" not in [l.title for l in bob_client.get(reverse("listings:browse")).context["listings"]]
    call_command("send_alert_digests")
    assert not mail.outbox


@pytest.mark.django_db
def test_the_unsubscribe_page_names_the_search_it_stops(client, bob):
    saved = services.saved_search_create(user=bob, q="ベビーカー", town=Town.objects.get(name="月島"), free=True)
    path = reverse("alerts:unsubscribe", args=[services.unsubscribe_token(saved)])

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 200
        assert "「ベビーカー」 · 月島 · 無料のみ" in response.content.decode()


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_is_refused(client):
    assert client.get(reverse("alerts:unsubscribe", args=["forged"])).status_code == 400
    assert client.post(reverse("alerts:unsubscribe", args=["forged"])).status_code == 400


@pytest.mark.django_db
def test_the_daily_digest_is_queued_once_for_the_worker_at_the_digest_hour(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ALERTS_DIGEST_HOUR = 7
    assert services.digests_schedule() is True
    assert services.digests_schedule() is False  # already queued
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "alerts.tasks.send_digests" and queued.status == "READY"
    run = timezone.localtime(queued.run_after)
    assert (run.hour, run.minute) == (7, 0) and queued.run_after > timezone.now()


QUERIES = ["", "机", "本棚", "ベビーカー", "べびー", "IKEA 棚", "ｲｽ", "木製 本棚", "椅子 子ども", "カー", "自転車 ヘルメット", "ない物"]
TEXTS = [
    ("木製の本棚", "引っ越しのため譲ります。"),
    ("ベビーカー", "IKEAの棚もあります。"),
    ("学習机と椅子", "子ども用のイスです。"),
    ("自転車", "ヘルメット付き"),
]


@pytest.mark.django_db
def test_the_indexed_matching_finds_exactly_what_checking_every_search_finds(alice):
    """The key-gram lookup is only a shortcut: compare it with reading every saved search."""
    from accounts.models import User
    from tests.factories import make_user

    searchers = [make_user(email=f"searcher{i}@example.com") for i in range(len(QUERIES))]
    saved = [services.saved_search_create(user=user, q=q) for user, q in zip(searchers, QUERIES, strict=True)]
    for title, description in TEXTS:
        listing = make_listing(alice, title=title, description=description)
        expected = {s.pk for s in saved if all(term in listing.search_text for term in s.terms)}
        assert {pk for pk, _frequency in matching.matching(listing)} == expected, title
    assert User.objects.count() == len(QUERIES) + 1


# --- Where alerts go -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_saved_search_sets_how_often_and_the_settings_page_where(bob_client, bob):
    saved = services.saved_search_create(user=bob, q="本棚")

    page = bob_client.get(reverse("alerts:list")).content.decode()

    assert f'name="s{saved.pk}-channel"' not in page
    assert f'href="{reverse("notifications:settings")}"' in page and "お知らせの設定" in page
    assert "すぐに（お知らせは1時間に1回まで）" in page
    bob_client.post(reverse("alerts:update", args=[saved.pk]), {f"s{saved.pk}-frequency": "badge", f"s{saved.pk}-is_active": "on"})
    saved.refresh_from_db()
    assert (saved.frequency, saved.is_active) == ("badge", True)


@pytest.mark.django_db
def test_rebuilding_the_search_index_normalises_saved_searches_again(alice, bob, django_capture_on_commit_callbacks):
    import io

    from listings import search

    saved = services.saved_search_create(user=bob, q="ベビーカー")
    # As saved by an older normalisation that kept katakana as it was.
    SavedSearch.objects.filter(pk=saved.pk).update(terms=["ベビーカー"], key_gram=search._spell("ベビ"))
    out = io.StringIO()

    call_command("rebuild_search_index", stdout=out)

    saved.refresh_from_db()
    assert (saved.terms, saved.key_gram) == (["べびーかー"], search.key_gram(["べびーかー"]))
    assert "1 saved searches normalised again." in out.getvalue()
    listing = _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー")
    assert Alert.objects.filter(saved_search=saved, listing=listing).exists()


@pytest.mark.parametrize("hour,starts", [("25", False), ("24", False), ("23", True)])
def test_a_digest_hour_outside_the_day_stops_start_up_naming_the_variable(hour, starts):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ALERTS_DIGEST_HOUR": hour}
    run = subprocess.run([sys.executable, "-c", "import config.settings"], env=env, capture_output=True, text=True)
    assert (run.returncode == 0) is starts
    if not starts:
        assert "ImproperlyConfigured: ALERTS_DIGEST_HOUR must be an hour from 0 to 23" in run.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_line_for_linked_residents_whose_searches_alerted_on_line(alice, bob):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from notifications.models import Event, LineLink, Preference
    from notifications.selectors import chosen_channels

    before = [("alerts", "0002_saved_search_key_gram"), ("notifications", "0003_alerts_daily_cap")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldSavedSearch = old.get_model("alerts", "SavedSearch")
    for user in (alice, bob):  # both chose LINE; only Alice is linked to the ward's LINE account
        OldSavedSearch.objects.create(user_id=user.pk, q="本棚", terms=["本棚"], channel="line")
    old.get_model("notifications", "LineLink").objects.create(user_id=alice.pk, line_user_id="U" + "a" * 32)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert chosen_channels(alice, Event.ALERT) == {"line", "push"}
    assert chosen_channels(bob, Event.ALERT) == {"email", "line", "push"}  # the defaults: email reaches him
    assert not Preference.objects.filter(user=bob).exists() and LineLink.objects.filter(user=alice).exists()
