"""The daily digest: one per resident on the channels they chose, a section per saved search, at
most the resident's daily cap of new items from daily searches."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from django.utils import timezone

from alerts import services
from alerts.models import Alert, SavedSearch
from notifications.models import Preference
from tests.alerts.conftest import on_line
from tests.factories import make_listing, make_user

DAILY = SavedSearch.Frequency.DAILY


def _publish(owner, capture, **kwargs):
    with capture(execute=True):
        return make_listing(owner, **kwargs)


def _digests_send() -> int:
    """digests_send() as the worker runs it, outside a transaction: the emails it queues are sent."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.digests_send()


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _three_searches(user):
    return [services.saved_search_create(user=user, q=q, frequency=DAILY) for q in ("本棚", "ベビーカー", "自転車")]


@pytest.mark.django_db
def test_three_daily_searches_with_matches_send_one_email_naming_all_three(alice, bob, django_capture_on_commit_callbacks):
    _three_searches(bob)
    for title in ("白い本棚", "ベビーカー A型", "子ども用自転車"):
        _publish(alice, django_capture_on_commit_callbacks, title=title)

    assert _digests_send() == 1

    [email] = mail.outbox
    assert email.to == [bob.email]
    assert email.subject == "[Mottainai] 保存した3件の検索に新着が3件あります"
    for name, title in (("「本棚」", "白い本棚"), ("「ベビーカー」", "ベビーカー A型"), ("「自転車」", "子ども用自転車")):
        assert name in email.body and title in email.body
    # each item sits under the search that found it
    assert email.body.index("「本棚」") < email.body.index("白い本棚") < email.body.index("「ベビーカー」") < email.body.index("ベビーカー A型")
    assert len(re.findall(r"/alerts/unsubscribe/\S+/", email.body)) == 3
    assert not Alert.objects.filter(sent_at__isnull=True).exists()
    assert _digests_send() == 0 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_two_residents_get_one_digest_each(alice, bob, django_capture_on_commit_callbacks):
    dave = make_user(name="デイブ")
    _three_searches(bob)
    services.saved_search_create(user=dave, q="本棚", frequency=DAILY)
    services.saved_search_create(user=dave, q="自転車", frequency=DAILY)
    for title in ("白い本棚", "ベビーカー A型", "子ども用自転車"):
        _publish(alice, django_capture_on_commit_callbacks, title=title)

    assert _digests_send() == 2

    assert sorted(email.to[0] for email in mail.outbox) == sorted([bob.email, dave.email])
    to_dave = next(email for email in mail.outbox if email.to == [dave.email])
    assert "白い本棚" in to_dave.body and "子ども用自転車" in to_dave.body and "ベビーカー" not in to_dave.body


@pytest.mark.django_db
def test_a_sections_link_stops_only_its_search(client, alice, bob, django_capture_on_commit_callbacks):
    shelves, strollers, bicycles = _three_searches(bob)
    _publish(alice, django_capture_on_commit_callbacks, title="白い本棚")
    _publish(alice, django_capture_on_commit_callbacks, title="ベビーカー")
    _digests_send()
    body = mail.outbox[0].body
    section = body[body.index("「ベビーカー」"):]
    link = re.search(r"https?://\S+/alerts/unsubscribe/\S+/", section).group(0)

    assert client.post(_path(link)).status_code == 200

    assert [s.is_active for s in (shelves, strollers, bicycles) if s.refresh_from_db() is None] == [True, False, True]


@pytest.mark.django_db
def test_one_click_unsubscribe_of_the_digest_stops_every_search_it_holds_without_login(client, alice, bob, django_capture_on_commit_callbacks):
    searches = _three_searches(bob)
    badge = services.saved_search_create(user=bob, q="机", frequency=SavedSearch.Frequency.BADGE)
    _publish(alice, django_capture_on_commit_callbacks, title="白い本棚")
    _digests_send()
    email = mail.outbox[0]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in email.body  # the same link for people, at the end of the email

    asked = client.get(_path(link))
    assert asked.status_code == 200
    assert all(s.refresh_from_db() is None and s.is_active for s in searches)  # a GET changes nothing
    assert "「自転車」" in asked.content.decode()

    stopped = client.post(_path(link), {"List-Unsubscribe": "One-Click"})  # what a mail client sends

    assert stopped.status_code == 200
    assert not any(s.refresh_from_db() is None and s.is_active for s in searches)
    badge.refresh_from_db()
    assert badge.is_active  # sends no email: the header does not touch it
    _publish(alice, django_capture_on_commit_callbacks, title="本棚 2")
    assert _digests_send() == 0


@pytest.mark.django_db
def test_a_forged_digest_unsubscribe_link_is_refused(client, bob):
    from django.core import signing
    from django.urls import reverse

    for token in ("forged", signing.dumps([bob.pk, "fax"], salt="alerts.unsubscribe-digest"), signing.dumps("x", salt="alerts.unsubscribe-digest")):
        path = reverse("alerts:unsubscribe_digest", args=[token])
        assert client.get(path).status_code == 400
        assert client.post(path).status_code == 400
    # a single search's token is not a digest token
    saved = services.saved_search_create(user=bob, q="本棚")
    assert client.post(reverse("alerts:unsubscribe_digest", args=[services.unsubscribe_token(saved)])).status_code == 400
    saved.refresh_from_db()
    assert saved.is_active


@pytest.mark.django_db
def test_a_resident_with_searches_of_every_kind_gets_one_digest_on_the_channels_chosen_in_settings(
    alice, bob, django_capture_on_commit_callbacks, line_api
):
    uid = on_line(bob, channels=["email", "line"], cap=10)
    _three_searches(bob)
    SavedSearch.objects.filter(q="自転車").update(frequency=SavedSearch.Frequency.INSTANT, last_instant_at=timezone.now())
    for title in ("白い本棚", "ベビーカー", "自転車"):
        _publish(alice, django_capture_on_commit_callbacks, title=title)

    assert _digests_send() == 1

    [email] = mail.outbox
    assert all(title in email.body for title in ("白い本棚", "ベビーカー", "自転車"))
    [push] = line_api.received
    texts = "".join(message["text"] for message in push.json()["messages"])
    assert push.json()["to"] == uid and "白い本棚" in texts and "自転車" in texts


@pytest.mark.django_db
def test_the_daily_digest_lists_at_most_the_residents_daily_cap_and_links_to_the_rest(alice, bob, django_capture_on_commit_callbacks):
    Preference.objects.create(user=bob, alerts_daily_cap=3)
    _three_searches(bob)
    titles = [f"本棚{i}" for i in range(4)] + ["ベビーカー A型", "子ども用自転車"]
    for title in titles:
        _publish(alice, django_capture_on_commit_callbacks, title=title)

    assert _digests_send() == 1

    [email] = mail.outbox
    assert email.subject == "[Mottainai] 保存した3件の検索に新着が6件あります"
    assert sum(title in email.body for title in titles) == 3
    assert all(f"本棚{i}" in email.body for i in range(3))
    assert "…ほか1件" in email.body and "…ほか1件" in email.body.split("「ベビーカー」")[0]  # 本棚3 waits on the site
    assert "ベビーカー A型" not in email.body and "子ども用自転車" not in email.body
    assert len(re.findall(r"/alerts/\d+/", email.body)) == 3  # every search keeps its link to all its results
    assert not Alert.objects.filter(sent_at__isnull=True).exists()  # tomorrow's digest starts afresh


@pytest.mark.django_db
def test_without_settings_the_cap_is_the_wards_default(alice, bob, settings, django_capture_on_commit_callbacks):
    settings.NOTICES = {**settings.NOTICES, "ALERTS_DAILY_CAP": 2}
    services.saved_search_create(user=bob, q="本棚", frequency=DAILY)
    for i in range(3):
        _publish(alice, django_capture_on_commit_callbacks, title=f"本棚{i}")

    assert _digests_send() == 1

    assert sum(f"本棚{i}" in mail.outbox[0].body for i in range(3)) == 2 and "…ほか1件" in mail.outbox[0].body


@pytest.mark.django_db
def test_what_an_instant_search_held_back_is_not_capped(alice, bob, django_capture_on_commit_callbacks, clock):
    Preference.objects.create(user=bob, alerts_daily_cap=1)
    saved = services.saved_search_create(user=bob, q="本棚", frequency=SavedSearch.Frequency.INSTANT)
    SavedSearch.objects.filter(pk=saved.pk).update(last_instant_at=timezone.now())  # alerted a moment ago
    for i in range(3):
        _publish(alice, django_capture_on_commit_callbacks, title=f"本棚{i}")
    assert mail.outbox == []  # at most one an hour: these wait for the digest

    assert _digests_send() == 1

    assert all(f"本棚{i}" in mail.outbox[0].body for i in range(3)) and "ほか" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_stop_link_of_a_digest_sent_before_per_resident_digests_still_works(bob, client):
    from django.core import signing
    from django.urls import reverse

    from alerts.selectors import DIGEST_UNSUBSCRIBE_SALT

    saved = services.saved_search_create(user=bob, q="本棚", frequency=DAILY)
    token = signing.dumps([bob.pk, "line"], salt=DIGEST_UNSUBSCRIBE_SALT)  # digests went per channel then

    assert "「本棚」" in client.get(reverse("alerts:unsubscribe_digest", args=[token])).content.decode()
    assert client.post(reverse("alerts:unsubscribe_digest", args=[token])).status_code == 200
    saved.refresh_from_db()
    assert not saved.is_active


def _digest_queries(alice, residents, searches_each, capture) -> int:
    for n in range(residents):
        user = make_user(name=f"住民{n}")
        for q in ("本棚", "ベビーカー", "自転車", "机", "椅子")[:searches_each]:
            services.saved_search_create(user=user, q=q, frequency=DAILY)
    for title in ("本棚", "ベビーカー", "自転車", "机", "椅子"):
        _publish(alice, capture, title=title)
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert _digests_send() == residents
    assert len(mail.outbox) == residents
    return len(queries)


@pytest.mark.django_db
def test_the_digest_costs_the_same_for_one_search_per_resident_or_five(alice, django_capture_on_commit_callbacks):
    one = _digest_queries(alice, 2, 1, django_capture_on_commit_callbacks)
    Alert.objects.all().delete()
    SavedSearch.objects.all().delete()
    five = _digest_queries(alice, 2, 5, django_capture_on_commit_callbacks)

    assert five == one
    # three reads (pending alerts, "not interested" marks, daily caps), then per resident its
    # savepoint, the update, the notice's reads (settings, devices) and its delivery row
    assert one <= 3 + 2 * 9
