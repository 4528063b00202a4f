"""Broken and awkward Unicode: invalid UTF-8 and lone surrogates in query strings and form bodies,
and stored text full of control characters, must never take a page, the API or the feed down."""

import pytest
from django.urls import reverse

from listings.models import Listing
from tests.factories import make_listing

# Percent-encoded bytes that are not UTF-8: a stray continuation byte, an overlong form, a UTF-16
# surrogate encoded as UTF-8, and the byte-order noncharacter.
BROKEN = ["%ff%fe", "%c0%af", "%ed%a0%80", "%ef%bf%be", "%e3%81", "abc%00def"]
SEARCHABLE = ["/listings/?q={}", "/api/v1/listings?q={}", "/feeds/listings.atom?town={}", "/embed/listings?category={}",
              "/board/?q={}", "/board/facilities/?q={}", "/listings/?cursor={}", "/api/v1/listings?cursor={}"]


@pytest.mark.parametrize("broken", BROKEN)
@pytest.mark.parametrize("template", SEARCHABLE)
def test_broken_bytes_in_a_query_string_never_cause_a_server_error(client, db, template, broken):
    response = client.get(template.format(broken))
    assert response.status_code < 500


@pytest.mark.parametrize("broken", [b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf"])
def test_broken_bytes_in_a_form_body_never_cause_a_server_error_or_half_save(bob_client, bob, broken):
    body = b"kind=offer&title=" + broken + b"&description=x&price=0"
    response = bob_client.generic(
        "POST", reverse("listings:create"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    assert not Listing.objects.filter(owner=bob).exists()


CONTROL = "ベル\x07 タブ\x0b 改ページ\x0c エスケープ\x1b[31m 削除\x7f 後退\x08 非文字\ufffe 終わり"


def test_a_listing_with_control_characters_leaves_the_public_outputs_working(alice, client):
    """A vertical tab pasted from a spreadsheet must not take the ward's feed down for everyone."""
    listing = make_listing(alice, title="本棚" + CONTROL[:10], description=CONTROL)
    for url in ["/feeds/listings.atom", "/api/v1/listings", f"/api/v1/listings/{listing.pk}", "/embed/listings",
                reverse("listings:browse"), listing.get_absolute_url(), "/"]:
        response = client.get(url)
        assert response.status_code == 200, url
