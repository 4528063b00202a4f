"""A LINE digest longer than one message: split into several (at most five per push), each saved
search's section whole with its own stop link; if it still does not fit, each search shows its
first items and "and N more", never losing a link; if even the links do not fit, LINE gets the
digest's summary and a link to the saved searches."""

import re

import pytest
from django.core import mail, signing
from django.test import TestCase

from alerts import notify as notify_module
from alerts import services
from alerts.models import SavedSearch
from alerts.selectors import UNSUBSCRIBE_SALT
from tests.alerts.conftest import on_line
from tests.factories import make_listing

SEARCHES = ("本棚", "ベビーカー", "自転車")
PER_SEARCH = 16


@pytest.fixture
def bobs_line_digest(alice, bob, django_capture_on_commit_callbacks):
    """Bob gets his saved-search alerts on LINE, up to 100 new items a day; each of his three daily
    searches found 16 items with 60-character titles."""
    on_line(bob, cap=100)
    searches = [services.saved_search_create(user=bob, q=q, frequency=SavedSearch.Frequency.DAILY) for q in SEARCHES]
    for q in SEARCHES:
        for i in range(PER_SEARCH):
            title = f"{q}{i:02d}" + "木製でしっかりした作りの大きな品物です。" * 3
            with django_capture_on_commit_callbacks(execute=True):
                make_listing(alice, title=title[:60], price=1200)
    return searches


def _send_digests() -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.digests_send() == 1


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _stop_links(text: str) -> list[str]:
    return re.findall(r"/alerts/unsubscribe/[^/\s]+/", text)


@pytest.mark.django_db
def test_a_long_line_digest_is_split_into_messages_that_keep_each_search_whole(line_api, bobs_line_digest):
    _send_digests()

    [push] = line_api.received
    texts = [message["text"] for message in push.json()["messages"]]
    assert 2 <= len(texts) <= 5
    assert all(_units(text) <= notify_module.LINE_TEXT_LIMIT for text in texts)
    assert texts[0].startswith("保存した3件の検索に新着が48件あります")
    for q in SEARCHES:
        # the message holding this search's heading holds all its items and its own stop link
        [text] = [t for t in texts if f"■ 「{q}」" in t]
        section = text.split(f"■ 「{q}」", 1)[1].split("■ ", 1)[0]
        assert all(f"{q}{i:02d}木製" in section for i in range(PER_SEARCH))
        assert len(_stop_links(section)) == 1 and "すべての結果" in section
    assert sum(len(_stop_links(t)) for t in texts) == 3
    assert "/alerts/unsubscribe-digest/" in texts[-1]  # the whole digest's stop link closes the last message
    assert "ほか" not in "".join(texts)  # nothing needed shortening
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_digest_too_long_for_five_messages_shows_each_searchs_first_items_and_keeps_every_link(
    line_api, bobs_line_digest, monkeypatch
):
    monkeypatch.setattr(notify_module, "LINE_TEXT_LIMIT", 1500)  # a smaller LINE, so fewer items fill it
    monkeypatch.setattr(notify_module, "LINE_MESSAGES_MAX", 2)
    _send_digests()

    [push] = line_api.received
    texts = [message["text"] for message in push.json()["messages"]]
    assert len(texts) == 2 and all(_units(text) <= 1500 for text in texts)
    joined = "\n".join(texts)
    for search in bobs_line_digest:
        section = joined.split(f"■ 「{search.q}」", 1)[1].split("■ ", 1)[0]
        [stop] = _stop_links(section)
        assert signing.loads(stop.split("/")[-2], salt=UNSUBSCRIBE_SALT) == search.pk  # its own stop link
        assert f"/alerts/{search.pk}/" in section  # its results link
        shown = sum(f"{search.q}{i:02d}木製" in section for i in range(PER_SEARCH))
        assert 1 <= shown < PER_SEARCH
        assert f"…ほか{PER_SEARCH - shown}件" in section
        assert section.index(f"…ほか{PER_SEARCH - shown}件") < section.index("/alerts/unsubscribe/")
    assert "/alerts/unsubscribe-digest/" in texts[-1]
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_digest_whose_links_alone_do_not_fit_on_line_sends_its_summary_and_link(line_api, bobs_line_digest, monkeypatch):
    monkeypatch.setattr(notify_module, "LINE_TEXT_LIMIT", 300)
    monkeypatch.setattr(notify_module, "LINE_MESSAGES_MAX", 1)
    _send_digests()

    [push] = line_api.received
    [message] = push.json()["messages"]
    assert message["text"].startswith("保存した3件の検索に新着が48件あります")
    assert message["text"].endswith("/alerts/")
    assert mail.outbox == []
