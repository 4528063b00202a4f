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
