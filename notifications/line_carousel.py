"""Listings as a LINE Flex carousel, for any part of the site that shows listings on LINE (a search
by LINE, lineoa; an instant saved-search alert, alerts.notify). It takes plain dicts, so that
notifications need not know listings: {"title", "price", "town", "image_url", "url"}, every
string ready to show (the price already "無料" or "¥1,000", both URLs absolute). Nothing about
the residents who posted them goes in."""

from django.utils.translation import gettext as _
from linebot.v3.messaging import FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexImage, FlexMessage, FlexText, URIAction

BUBBLES_MAX = 12  # LINE's limit for one carousel
ALT_TEXT_MAX = 400
TITLE_MAX = 60  # a listing's title is at most 60 characters anyway
ELLIPSIS = "…"


def _cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())  # one line: a title has none, a town never
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def listing_bubble(item: dict) -> FlexBubble:
    """One listing: its photo (or the placeholder), title, price and town; tapping it opens it."""
    opens = URIAction(label=_("See the item"), uri=item["url"])
    return FlexBubble(
        size="kilo",
        hero=FlexImage(url=item["image_url"], size="full", aspect_ratio="4:3", aspect_mode="cover", action=opens),
        body=FlexBox(
            layout="vertical",
            spacing="sm",
            contents=[
                FlexText(text=_cut(item["title"], TITLE_MAX), weight="bold", wrap=True, max_lines=2),
                FlexText(text=_cut(item["price"], 20), color="#b2452d", weight="bold"),
                FlexText(text=_cut(item["town"], 40), size="sm", color="#666666"),
            ],
        ),
        footer=FlexBox(layout="vertical", contents=[FlexButton(action=opens, style="link", height="sm")]),
        action=opens,
    )


def listings_carousel(items: list[dict], *, alt_text: str) -> FlexMessage:
    """A carousel of the first BUBBLES_MAX items (the caller says where the rest are);
    `alt_text` is what the chat list and old clients show."""
    bubbles = [listing_bubble(item) for item in items[:BUBBLES_MAX]]
    return FlexMessage(alt_text=_cut(alt_text, ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles))
