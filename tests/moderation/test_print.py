from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listings.models import Category
from tests.factories import make_listing


def test_the_print_page_shows_current_listings_with_numbers_and_qr_codes(alice, staff_client):
    book = make_listing(alice, title="図鑑セット", category=Category.objects.get(slug="books"), photos=1)
    chair = make_listing(alice, title="木の椅子", category=Category.objects.get(slug="furniture"))
    draft = make_listing(alice, title="下書き", publish=False)
    html = staff_client.get(reverse("moderation:print_board")).content.decode()
    assert "図鑑セット" in html and "木の椅子" in html and "下書き" not in html
    assert book.number in html and html.count('class="segno"') == 2
    html = staff_client.get(reverse("moderation:print_board"), {"category": book.category_id}).content.decode()
    assert "図鑑セット" in html and "木の椅子" not in html
    assert chair and draft


def test_the_print_page_uses_a_constant_number_of_queries(alice, staff_client):
    make_listing(alice, photos=1)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("moderation:print_board"))
    for _ in range(3):
        make_listing(alice, photos=1)
    with CaptureQueriesContext(connection) as more:
        staff_client.get(reverse("moderation:print_board"))
    assert len(few.captured_queries) == len(more.captured_queries)


def test_the_print_page_says_how_many_it_shows_and_pages_through_the_rest(alice, staff_client, monkeypatch):
    monkeypatch.setattr("moderation.views.PRINT_PAGE_SIZE", 2)
    for title in ["一番目", "二番目", "三番目"]:
        make_listing(alice, title=title)
    html = staff_client.get(reverse("moderation:print_board")).content.decode()
    assert "三番目" in html and "二番目" in html and "一番目" not in html
    assert "全3件のうち1–2件" in html  # not a silent cut
    html = staff_client.get(reverse("moderation:print_board"), {"page": 2}).content.decode()
    assert "一番目" in html and "三番目" not in html


def test_the_print_page_shows_offers_by_default_and_wanted_listings_under_their_own_heading(alice, staff_client):
    make_listing(alice, title="譲る椅子", price=2000)
    make_listing(alice, title="探している本棚", kind="wanted")
    html = staff_client.get(reverse("moderation:print_board")).content.decode()
    assert "譲る椅子" in html and "探している本棚" not in html
    assert "¥2,000" in html
    html = staff_client.get(reverse("moderation:print_board"), {"kind": "wanted"}).content.decode()
    assert "探している本棚" in html and "譲る椅子" not in html
    assert "譲ってください" in html.split('class="print-head"')[1].split("</h2>")[0]
