"""core.contacts: the contact-detail guard finds phone numbers, emails, addresses, rooms, messenger
IDs, social profiles and links, and leaves ordinary listing text alone."""

from pathlib import Path

import pytest
from django.utils import translation

from core.contacts import ContactFinder, contact_details_in
from core.matching import FoldedText

DATA = Path(__file__).resolve().parent.parent / "data"


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_corpora_catch_contact_details_and_leave_ordinary_listings_alone(capsys):
    contacts = _lines("contact_details.txt")
    ordinary = _lines("ordinary_listings.txt")
    assert len(contacts) >= 200 and len(ordinary) >= 1000
    missed = [text for text in contacts if not contact_details_in(text)]
    flagged = [text for text in ordinary if contact_details_in(text)]
    caught_rate = 1 - len(missed) / len(contacts)
    flagged_rate = len(flagged) / len(ordinary)
    with capsys.disabled():
        print(
            f"\ncontact details caught: {caught_rate:.1%} of {len(contacts)}; "
            f"ordinary listing texts flagged: {flagged_rate:.1%} of {len(ordinary)}"
        )
    assert caught_rate >= 0.95, missed
    assert flagged_rate <= 0.01, flagged


def _found(text: str) -> list[tuple[str, str]]:
    return [(detail.kind, detail.text) for detail in contact_details_in(text)]


@pytest.mark.parametrize(
    "text,number",
    [
        ("電話 090-1234-5678 まで", "090-1234-5678"),
        ("携帯 080 1234 5678", "080 1234 5678"),
        ("03.1234.5678", "03.1234.5678"),
        ("全角で０９０ー１２３４ー５６７８です", "０９０ー１２３４ー５６７８"),
        ("〇九〇ー一二三四ー五六七八", "〇九〇ー一二三四ー五六七八"),
        ("+81 90 1234 5678", "+81 90 1234 5678"),
        ("+81(0)3-1234-5678", "+81(0)3-1234-5678"),
        ("(03)1234-5678 平日のみ", "(03)1234-5678"),
        ("フリーダイヤル0120-123-456", "0120-123-456"),
        ("09012345678", "09012345678"),
        ("TEL:03−3543−0211", "03−3543−0211"),
        ("090の1234の5678", "090の1234の5678"),
    ],
)
def test_it_finds_phone_numbers_in_japanese_and_international_forms(text, number):
    assert _found(text) == [("phone", number)]


@pytest.mark.parametrize(
    "text,address",
    [
        ("taro@example.com まで", "taro@example.com"),
        ("taro＠docomo.ne.jp", "taro＠docomo.ne.jp"),
        ("taro(at)gmail.com", "taro(at)gmail.com"),
        ("taro[at]gmail[dot]com", "taro[at]gmail[dot]com"),
        ("hanako アット yahoo ドット co ドット jp", "hanako アット yahoo ドット co ドット jp"),
        ("taro.yamada at gmail dot com", "taro.yamada at gmail dot com"),
    ],
)
def test_it_finds_email_addresses_also_written_out(text, address):
    assert _found(text) == [("email", address)]


@pytest.mark.parametrize(
    "text,found",
    [
        ("銀座1-2-3に来てください", [("address", "1-2-3")]),
        ("月島１−２−３", [("address", "１−２−３")]),
        ("佃一丁目二番三号", [("address", "一丁目二番三号")]),
        ("晴海2丁目5番地", [("address", "2丁目5番地")]),
        ("勝どき三丁目十二番五号", [("address", "三丁目十二番五号")]),
        ("201号室です", [("room", "201号室")]),
        ("グリーンハイツ201", [("room", "ハイツ201")]),
        ("マンションの#1203", [("room", "#1203")]),
        ("銀座1-2-3 コーポ銀座 305", [("address", "1-2-3"), ("room", "コーポ銀座 305")]),
    ],
)
def test_it_finds_addresses_finer_than_the_town_and_room_numbers(text, found):
    assert _found(text) == found


@pytest.mark.parametrize(
    "text,found",
    [
        ("LINE ID: taro_1234", [("messenger", "LINE ID: taro_1234")]),
        ("ラインのIDはtaro1234です", [("messenger", "ラインのIDはtaro1234")]),
        ("ﾗｲﾝ id taro-99", [("messenger", "ﾗｲﾝ id taro-99")]),
        ("@taro_yamada にDMください", [("messenger", "@taro_yamada")]),
        ("https://line.me/ti/p/abcdef", [("messenger", "https://line.me/ti/p/abcdef")]),
        ("instagram.com/taro", [("social", "instagram.com/taro")]),
        ("https://x.com/taro", [("social", "https://x.com/taro")]),
        ("インスタ @taro.yamada", [("social", "インスタ @taro.yamada")]),
        ("https://www.tiktok.com/@taro", [("social", "https://www.tiktok.com/@taro")]),
        ("facebook.com/taro.y", [("social", "facebook.com/taro.y")]),
        ("詳しくは https://example.com/items/1 へ", [("url", "https://example.com/items/1")]),
        ("www.example.co.jp", [("url", "www.example.co.jp")]),
        ("https://www.amazon.co.jp/dp/B000000", [("url", "https://www.amazon.co.jp/dp/B000000")]),
    ],
)
def test_it_finds_messenger_ids_social_profiles_and_links(text, found):
    assert _found(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "幅120cm",
        "120×60×75cm",
        "3-4人用",
        "2024年製",
        "No.5",
        "¥1,000",
        "1,000円",
        "KJ-43X8000H",
        "NR-B17FW",
        "12/5",
        "2024-05-01",
        "15:00",
        "10:00-12:00に受け渡し",
        "JAN 4901234567894",
        "90-100-110cm",
        "@100円×3点",
        "月島一丁目の公園で",
        "ラインストーンのケース",
        "Amazon.co.jpで購入",
    ],
)
def test_it_leaves_sizes_years_prices_model_numbers_dates_and_times_alone(text):
    assert contact_details_in(text) == []


def test_each_detail_says_why_in_the_page_language_and_repeats_are_reported_once():
    details = contact_details_in("090-1234-5678", "または 090-1234-5678 か taro@example.com")
    assert [d.kind for d in details] == ["phone", "email"]
    with translation.override("ja"):
        assert str(details[0].reason) == "電話番号のようです"
    with translation.override("en"):
        assert str(details[0]) == "looks like a phone number: 090-1234-5678"


def test_it_fits_the_matching_finder_protocol():
    with translation.override("en"):
        assert ContactFinder().find(FoldedText.of("ラインID: Taro_1234")) == ["looks like a messenger ID: らいんid: taro_1234"]
