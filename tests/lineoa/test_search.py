"""Search by LINE: 「さがす ベビーカー」 answers with the browse page's results as a carousel."""

import json

import pytest
from django.conf import settings

from lineoa.inbound import text_received
from listings.services import listing_transition
from listings.lifecycle import Action
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


def as_json(messages) -> list[dict]:
    return [message.to_dict() for message in messages]


def bubbles(messages) -> list[dict]:
    return as_json(messages)[0]["contents"]["contents"]


def bubble_texts(bubble: dict) -> list[str]:
    return [part["text"] for part in bubble["body"]["contents"]]


@pytest.mark.parametrize("text", ["さがす ベビーカー", "探す　ベビーカー", "検索 ベビーカー", "  さがす ﾍﾞﾋﾞｰｶｰ "])
def test_a_search_answers_with_a_carousel_of_public_listings(alice, bob, text):
    with_photo = make_listing(alice, title="A型ベビーカー", photos=1)
    priced = make_listing(alice, title="ベビーカー 雨よけ付き", price=1000)
    make_listing(alice, title="ベビーカーの下書き", publish=False)  # not public: never shown
    make_listing(alice, title="本棚")

    [carousel] = text_received(bob, text)

    assert carousel.type == "flex" and "ベビーカー" in carousel.alt_text
    shown = bubbles([carousel])
    assert [bubble_texts(b)[0] for b in shown] == ["ベビーカー 雨よけ付き", "A型ベビーカー"]  # newest first, as the browse page
    assert bubble_texts(shown[0])[1:] == ["¥1,000", "銀座"]
    assert bubble_texts(shown[1])[1] == "無料"
    assert shown[0]["action"]["uri"] == f"{settings.SITE_URL}/listings/{priced.pk}/"
    assert shown[0]["hero"]["url"] == f"{settings.SITE_URL}/static/img/no-photo.png"  # no photo: the placeholder
    photo = with_photo.photos.get()
    assert shown[1]["hero"]["url"] == settings.SITE_URL + photo.thumbnail.url


def test_the_carousel_names_no_resident(alice, bob):
    make_listing(alice, title="ベビーカー")
    dumped = json.dumps(as_json(text_received(bob, "さがす ベビーカー")), ensure_ascii=False)
    assert alice.email not in dumped and alice.display_name not in dumped and alice.public_id not in dumped


def test_a_search_without_hits_says_so_and_links_the_browse_page(bob):
    [answer] = text_received(bob, "さがす 一輪車")
    assert answer.text == f"「一輪車」に合う品物は今ありません。出品中の品物はこちらで見られます：{settings.SITE_URL}/listings/"


def test_a_withdrawn_item_is_not_found(alice, bob):
    kept = make_listing(alice, title="チャイルドシート")
    gone = make_listing(alice, title="チャイルドシート 新生児用")
    listing_transition(listing=gone, action=Action.WITHDRAW, actor=alice)
    assert [bubble_texts(b)[0] for b in bubbles(text_received(bob, "さがす チャイルドシート"))] == [kept.title]


def test_more_than_ten_hits_show_ten_and_link_the_rest(alice, bob):
    for n in range(12):
        make_listing(alice, title=f"絵本 {n}")
    carousel, more = text_received(bob, "さがす 絵本")
    assert len(bubbles([carousel])) == 10
    assert more.text == f"ほかの結果はサイトで見られます：{settings.SITE_URL}/listings/?q=%E7%B5%B5%E6%9C%AC"


def test_the_command_alone_asks_what_to_look_for(bob):
    [answer] = text_received(bob, "さがす")
    assert answer.text == "何をおさがしですか？「さがす ベビーカー」のように送ってください。"


def test_another_text_without_a_draft_gets_the_help(bob):
    [answer] = text_received(bob, "こんにちは")
    assert answer.text.startswith("品物をさがすには、「さがす」と探したいものを送ってください")
    assert answer.text.endswith(f"{settings.SITE_URL}/listings/new/")
