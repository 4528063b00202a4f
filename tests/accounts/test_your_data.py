"""「あなたのデータ」: a readable page of what the service holds about the resident, and a ZIP with
data.json, CSV files a spreadsheet opens safely, and their own listing photos."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from alerts.services import saved_search_create
from community.models import Topic
from community.services import thread_create
from listings.services import listing_report
from messaging.services.conversations import conversation_start, message_send
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://evil.example","x")'


@pytest.fixture
def alices_world(alice, bob, carol):
    mine = make_listing(alice, title=HOSTILE, photos=2)
    bobs = make_listing(bob, title="ボブの机")
    conversation = conversation_start(listing=bobs, requester=alice, body="アリスの質問です")
    message_send(conversation=conversation, sender=bob, body="ボブの秘密の返事", broadcast=False)
    saved_search_create(user=alice, q="ベビーカー")
    thread_create(author=alice, topic=Topic.SCHOOLS, title="アリスのスレッド", body="アリスの投稿本文")
    thread_create(author=bob, topic=Topic.SCHOOLS, title="ボブのスレッド", body="ボブの投稿本文")
    listing_report(listing=bobs, reporter=alice, reason="scam")
    make_listing(bob, title="ボブの別の出品", photos=1)
    return mine


def test_the_page_shows_each_section_with_only_the_residents_own_data(alice_client, alices_world, bob):
    response = alice_client.get(reverse("accounts:data"))

    page = response.content.decode()
    assert "あなたのデータ" in page
    for section, heading in (("account", "アカウント"), ("listings", "出品"), ("messages", "やりとり"),
                             ("searches", "保存した検索"), ("board", "掲示板の投稿"), ("reports", "あなたの通報")):
        assert f'<h2 id="data-{section}">{heading}</h2>' in page, heading
    assert "alice@example.com" in page
    assert "ありす" in page and "銀座" in page
    assert "ボブの机" in page  # the listing the conversation is about
    assert "ぼぶ" in page  # the other party's public name
    assert "メッセージ2件" in page
    assert "アリスの質問です" in page
    assert "ボブの秘密の返事" not in page  # only their own messages are listed
    assert "ベビーカー" in page
    assert "アリスの投稿本文" in page
    assert "ボブの投稿本文" not in page and "ボブの別の出品" not in page
    assert bob.email not in page
    assert "ボブの机" in page.split('id="data-reports"')[1]  # the listing Alice reported
    assert "仮名はここではあなたにだけ表示されます" in page
    assert "ZIPでダウンロード" in page and reverse("accounts:export_zip") in page


def test_anonymous_visitors_are_sent_to_login(client):
    for name in ("accounts:data", "accounts:export_zip"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def _zip(client) -> zipfile.ZipFile:
    response = client.get(reverse("accounts:export_zip"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_zip_holds_data_json_csv_files_and_the_residents_photos(alice_client, alices_world, settings):
    archive = _zip(alice_client)
    names = set(archive.namelist())

    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "alice@example.com"
    assert [item["title"] for item in data["listings"]] == [HOSTILE]
    assert {"listings.csv", "messages.csv", "saved_searches.csv", "board_posts.csv"} <= names

    listings = _csv(archive, "listings.csv")
    assert listings[0] == ["id", "kind", "title", "status", "category", "price", "town", "created_at", "published_at", "expires_at", "url"]
    assert listings[1][2] == "'" + HOSTILE  # a formula in a cell is neutralised
    assert listings[1][10] == settings.SITE_URL.rstrip("/") + reverse("listings:detail", args=[alices_world.pk])
    assert _csv(archive, "messages.csv")[0] == ["conversation", "listing", "with", "from_me", "kind", "body", "sent_at"]
    assert _csv(archive, "saved_searches.csv")[1][1] == "ベビーカー"
    assert _csv(archive, "board_posts.csv")[0] == ["thread", "number", "pseudonym", "text", "status", "created_at"]

    photos = sorted(name for name in names if name.startswith("photos/"))
    assert photos == [f"photos/{alices_world.pk}-1.jpg", f"photos/{alices_world.pk}-2.jpg"]
    first = alices_world.photos.order_by("position", "id").first()
    with default_storage.open(first.image.name, "rb") as stored:
        assert archive.read(photos[0]) == stored.read()


def test_the_zip_never_holds_another_residents_data(bob_client, alices_world, alice):
    archive = _zip(bob_client)

    everything = b"".join(archive.read(name) for name in archive.namelist() if not name.startswith("photos/")).decode("utf-8", "replace")
    assert "alice@example.com" not in everything
    assert "アリスの投稿本文" not in everything
    assert "evil.example" not in everything  # Alice's listing title
    assert not any(name.startswith(f"photos/{alices_world.pk}-") for name in archive.namelist())
