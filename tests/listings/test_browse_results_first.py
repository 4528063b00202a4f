"""The browse page on a phone puts the results first: the keyword box, then the count and the
results (or the empty state with suggestions), and only then the other filters, folded behind one
「絞り込み」 button that shows how many of them are on."""

import pytest
from django.urls import reverse

from accounts.models import Town
from listings.models import Category
from tests.factories import make_listing


def _page(client, query: dict) -> str:
    response = client.get(reverse("listings:browse"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_count_and_first_result_come_before_the_filter_fields(client, alice):
    make_listing(alice, title="無料の本棚", price=0)

    page = _page(client, {"q": "本棚"})

    search_box = page.index('name="q"')
    count = page.index("1件")
    first_result = page.index("無料の本棚")
    first_filter = min(page.index(f'name="{name}"') for name in ("kind", "category", "town", "free", "price_min", "price_max", "photos", "sort"))
    assert search_box < count < first_result < first_filter
    assert page.index("<summary") > first_result  # the filters are folded behind one button
    assert 'form="browse-form"' in page[first_filter - 200 : first_filter + 200]  # and still submit with the keyword


@pytest.mark.django_db
def test_the_filters_button_shows_how_many_filters_are_on(client, alice):
    make_listing(alice, title="電子レンジ", price=1500, category=Category.objects.get(slug="appliances"))

    assert "絞り込み（2）" in _page(client, {"q": "レンジ", "category": "appliances", "price_min": "0", "sort": "price"})
    assert "絞り込み（1）" in _page(client, {"photos": "on"})
    page = _page(client, {"q": "レンジ"})  # a keyword is the search box, not a folded filter
    assert "絞り込み" in page and "絞り込み（" not in page


@pytest.mark.django_db
def test_no_hits_shows_the_empty_state_before_the_filters_with_a_clear_link_that_keeps_the_keyword(client, alice):
    make_listing(alice, title="ベビーカー", town=Town.objects.get(name="月島"))

    page = _page(client, {"q": "ベビーカー", "kind": "wanted", "free": "on"})

    empty = page.index("該当する品物はありません")
    assert page.index('name="q"') < empty < page.index('name="kind"')
    clear = reverse("listings:browse") + "?q=%E3%83%99%E3%83%93%E3%83%BC%E3%82%AB%E3%83%BC"
    assert f'<a href="{clear}">キーワードはそのままで絞り込みを解除する</a>' in page
    assert page.index("キーワードはそのままで絞り込みを解除する") < page.index('name="kind"')
    assert "すべてのカテゴリを見る" in page
    # Following the link finds the item: the keyword stayed, the filters went.
    assert "ベビーカー" in _page(client, {"q": "ベビーカー"}).split("<summary")[0].split("1件")[1]
