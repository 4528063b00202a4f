"""Japanese-aware keyword search: the same table of queries runs on SQLite and on PostgreSQL (CI)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from listings.lifecycle import Action
from listings.models import Listing
from listings.selectors import count_up_to
from listings import search as search_module
from listings.search import grams, search, terms
from listings.services import listing_transition, listing_update
from tests.db import fetch, only_on
from tests.factories import listing_data, make_listing

CATALOGUE = [
    ("木製の椅子", "ダイニング用の椅子です。"),
    ("本棚", "IKEAの白い本棚。組み立て済み。"),
    ("ベビーカー", "A型のベビーカー、折りたたみ可能です。"),
    ("学習机", "小学生向けの机とイス"),
    ("ｲﾝﾃﾘｱ ﾗﾝﾌﾟ", "半角カナで書かれた照明"),
    ("ＳＯＮＹ　ラジオ", "全角英字のラジオ"),
    ("子ども服 100cm", "冬用のコートとセーター"),
    ("電子レンジ", "Panasonic製 2019年"),
    ("ギター", "アコースティックギター。弦は新品に交換済み"),
    ("ソファー", "2人掛けのソファーです"),
]

# (query, titles expected) — two-character words, parts of words, middle of the text, several
# terms (AND), mixed scripts, width and kana variants, and terms that are not there.
CASES = [
    ("椅子", {"木製の椅子"}),
    ("本棚", {"本棚"}),
    ("机", {"学習机"}),
    ("ベビー", {"ベビーカー"}),
    ("ベビーカー", {"ベビーカー"}),
    ("べびーかー", {"ベビーカー"}),
    ("ﾍﾞﾋﾞｰ", {"ベビーカー"}),
    ("カー", {"ベビーカー"}),
    ("ビーカ", {"ベビーカー"}),
    ("折りたたみ", {"ベビーカー"}),
    ("IKEA", {"本棚"}),
    ("ikea", {"本棚"}),
    ("ＩＫＥＡ", {"本棚"}),
    ("IKEA 棚", {"本棚"}),
    ("ikea 本棚", {"本棚"}),
    ("IKEA 椅子", set()),
    ("インテリア", {"ｲﾝﾃﾘｱ ﾗﾝﾌﾟ"}),
    ("らんぷ", {"ｲﾝﾃﾘｱ ﾗﾝﾌﾟ"}),
    ("sony", {"ＳＯＮＹ　ラジオ"}),
    ("ラジオ", {"ＳＯＮＹ　ラジオ"}),
    ("100cm", {"子ども服 100cm"}),
    ("１００ｃｍ", {"子ども服 100cm"}),
    ("コート セーター", {"子ども服 100cm"}),
    ("コート ソファー", set()),
    ("panasonic", {"電子レンジ"}),
    ("2019", {"電子レンジ"}),
    ("レンジ", {"電子レンジ"}),
    ("電子", {"電子レンジ"}),
    ("ギター", {"ギター"}),
    ("弦", {"ギター"}),
    ("ソファ", {"ソファー"}),
    ("ソファー", {"ソファー"}),
    ("イス", {"学習机"}),
    ("冷蔵庫", set()),
    ("テレビ", set()),
    ("の", {"木製の椅子", "本棚", "ベビーカー", "学習机", "ＳＯＮＹ　ラジオ", "子ども服 100cm", "ソファー"}),
    ("本棚!!", {"本棚"}),
    ("   ", None),  # no terms: no filtering
]


@pytest.fixture
def catalogue(alice):
    for title, description in CATALOGUE:
        make_listing(alice, title=title, description=description)


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["few matches", "many matches"])
@pytest.mark.parametrize("query,expected", CASES, ids=[c[0] or "blank" for c in CASES])
def test_search_finds_what_a_japanese_speaker_expects(catalogue, query, expected, plan, monkeypatch):
    if plan == "many matches":  # SQLite's plan for common words, used here for every word
        monkeypatch.setattr(search_module, "SQLITE_FEW_MATCHES_AT_LEAST", 0)
        monkeypatch.setattr(search_module, "SQLITE_FEW_MATCHES_PER_LISTING", 0)
    found = {listing.title for listing in search(Listing.objects.all(), query)}
    assert found == (expected if expected is not None else {title for title, _d in CATALOGUE})
    # the browse page's capped count, which SQLite plans apart for common words
    assert count_up_to(search(Listing.objects.all(), query)) == len(found)
    assert count_up_to(search(Listing.objects.all(), query), limit=1) == min(len(found), 2)


def test_terms_and_grams_are_made_of_the_folded_text():
    # The folding itself (width, case, kana, the long vowel kept): tests/core/test_text.py.
    assert terms("ｲｽ") == terms("イス") == ["いす"]
    assert terms("ＡＢＣ") == ["abc"]
    assert terms("ベビーカー") == ["べびーかー"]
    assert terms("IKEA　棚、") == ["ikea", "棚"]
    assert len(grams("本棚")) == 3  # 本, 棚, 本棚


@pytest.mark.django_db
def test_edits_and_rebuilds_keep_the_index_current(alice):
    listing = make_listing(alice, title="本棚")
    assert list(search(Listing.objects.all(), "本棚")) == [listing]
    listing_update(listing=listing, actor=alice, data=listing_data(title="食器棚", description="白い"))
    assert not search(Listing.objects.all(), "本棚").exists()
    assert list(search(Listing.objects.all(), "食器")) == [listing]
    Listing.objects.filter(pk=listing.pk).update(search_text="", search_grams="")
    call_command("rebuild_search_index")
    assert list(search(Listing.objects.all(), "食器")) == [listing]


@pytest.mark.django_db
def test_residents_only_find_public_listings_through_every_channel(client, alice):
    public = make_listing(alice, title="ベビーカー")
    draft = make_listing(alice, title="ベビーベッド", publish=False)
    closed = make_listing(alice, title="ベビーチェア")
    listing_transition(listing=closed, action=Action.WITHDRAW, actor=alice)
    browse = client.get(reverse("listings:browse"), {"q": "ベビー"})
    assert [l.pk for l in browse.context["listings"]] == [public.pk]
    assert [i["id"] for i in client.get("/api/v1/listings", {"q": "べびー"}).json()["items"]] == [public.pk]
    widget = client.get("/embed/listings", {"q": "ﾍﾞﾋﾞｰ"}).content.decode()
    assert "ベビーカー" in widget and "ベビーベッド" not in widget and draft.title not in widget


@pytest.mark.django_db
def test_search_combines_with_filters_and_sorts(client, alice):
    make_listing(alice, title="本棚 小", price=0)
    make_listing(alice, title="本棚 大", price=500)
    make_listing(alice, title="机", price=0)
    free = client.get(reverse("listings:browse"), {"q": "本棚", "free": "on"})
    assert [l.title for l in free.context["listings"]] == ["本棚 小"]
    by_price = client.get(reverse("listings:browse"), {"q": "本棚", "sort": "price_desc"})
    assert [l.title for l in by_price.context["listings"]] == ["本棚 大", "本棚 小"]


@pytest.mark.django_db
def test_the_sqlite_search_triggers_survive_every_migration():
    """Migrations that rebuild listings_listing on SQLite must create the FTS5 triggers again."""
    only_on("sqlite")
    names = {name for (name,) in fetch("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'listings_listing'")}
    assert names == {"listings_listing_fts_insert", "listings_listing_fts_delete", "listings_listing_fts_update"}
