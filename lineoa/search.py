"""Search by LINE: 「さがす ベビーカー」 answers with the browse page's results as a carousel."""

import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from linebot.v3.messaging import TextMessage

from accounts.models import User
from listings.cards import listing_card
from listings.filters import ListingFilter
from listings.selectors import listings_public_for
from notifications.line_carousel import listings_carousel

COMMANDS = ("さがす", "探す", "検索")
RESULTS_MAX = 10
QUERY_MAX = 100  # the browse page's keyword box


def search_query(text: str) -> str | None:
    """The words after a search command (「さがす ベビーカー」, full-width space too), "" for a
    command alone, None when the text is no search."""
    words = unicodedata.normalize("NFKC", text).strip().split(maxsplit=1)
    if not words or words[0] not in COMMANDS:
        return None
    return words[1].strip() if len(words) > 1 else ""


def browse_url(query: str = "") -> str:
    url = settings.SITE_URL + reverse("listings:browse")
    return f"{url}?{urlencode({'q': query})}" if query else url


def search_reply(user: User, query: str) -> list:
    """Up to RESULTS_MAX public listings, newest first, as the browse page finds them for this
    resident; a text with the browse page's link when there are none."""
    if not query:
        return [TextMessage(text=_("What are you looking for? Send, for example, 「さがす ベビーカー」."))]
    query = query[:QUERY_MAX]
    found = list(ListingFilter({"q": query}, queryset=listings_public_for(user)).qs[: RESULTS_MAX + 1])
    if not found:
        text = _("Nothing matches “%(query)s” right now. See everything on offer: %(url)s") % {
            "query": query, "url": browse_url(),
        }
        return [TextMessage(text=text)]
    carousel = listings_carousel(
        [listing_card(listing) for listing in found[:RESULTS_MAX]], alt_text=_("Items for “%(query)s”") % {"query": query}
    )
    if len(found) <= RESULTS_MAX:
        return [carousel]
    more = _("More results on the site: %(url)s") % {"url": browse_url(query)}
    return [carousel, TextMessage(text=more)]
