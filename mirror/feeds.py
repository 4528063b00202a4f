"""Atom feeds: published listings, with the API's filters (kind, category, town, free, q), and
the ward's published consultations."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from consultations.models import Consultation
from consultations.selectors import consultations_public
from core.text import controls_clean
from listings.models import Listing
from mirror.filters import browse_url, filter_query, filtered_listings, valid_filters
from mirror.serializers import absolute, to_the_minute

FEED_SIZE = 50
SUMMARY_CHARS = 200  # a consultation's summary: the start of its description


def price_label(item: Listing) -> str:
    """The price as the widget shows it; nothing for a wanted item that offers nothing ("free"
    there would read as if the item were given away)."""
    if item.is_free:
        return "" if item.kind == Listing.Kind.WANTED else _("Free")
    return _("%(price)s yen") % {"price": f"{item.price:,}"}


class _PrintableXMLGenerator(SimplerXMLGenerator):
    """Writes every text and attribute through core.text.controls_clean: Django refuses control
    characters (a 500), and one pasted into one listing must not take the feed down."""

    def characters(self, content):
        super().characters(controls_clean(content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: controls_clean(value) if isinstance(value, str) else value for key, value in attrs.items()})


class PrintableAtom1Feed(Atom1Feed):
    def write(self, outfile, encoding):
        # Atom1Feed.write with the generator above.
        handler = _PrintableXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class WardFeed(Feed):
    """In the site's default language (Japanese), like the ward's site that imports it, whatever
    the language of whoever fetches it; cached like the API."""

    feed_type = PrintableAtom1Feed

    def author_name(self) -> str:
        return f"{settings.MUNICIPALITY_CITY} もったいない"

    def __call__(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = f"public, max-age={settings.MIRROR_CACHE_SECONDS}"
        return response


class ListingsFeed(WardFeed):
    description_template = "mirror/feed_item.html"

    def get_object(self, request: HttpRequest) -> dict:
        return valid_filters(request.GET)

    def title(self, filters: dict) -> str:
        return f"もったいない {settings.MUNICIPALITY_CITY} 不用品交換 — 新着"

    def subtitle(self, filters: dict) -> str:
        return f"{settings.MUNICIPALITY_PREFECTURE}{settings.MUNICIPALITY_CITY}の区民同士で譲り合う品物の新着情報"

    def link(self, filters: dict) -> str:
        """The browse page showing the same listings."""
        return browse_url(filters)

    def feed_url(self, filters: dict) -> str:
        # SITE_URL, not the Sites framework's domain (written once by a migration), and the
        # filters, so that each filtered feed names itself.
        query = filter_query(filters)
        return settings.SITE_URL + reverse("mirror:feed") + (f"?{query}" if query else "")

    def feed_guid(self, filters: dict) -> str:
        """Each filtered feed is a feed of its own (Atom's <id>)."""
        return self.feed_url(filters)

    def items(self, filters: dict):
        return list(filtered_listings(filters).order_by("-published_at", "-id")[:FEED_SIZE])

    def item_title(self, item: Listing) -> str:
        """Title (kind if wanted, town, price, reservation), e.g. 本棚（銀座・無料・取り置き中）."""
        facts = [item.get_kind_display()] if item.kind == Listing.Kind.WANTED else []
        facts.append(item.town.name)
        if price := price_label(item):
            facts.append(price)
        if item.status == Listing.Status.RESERVED:
            facts.append(_("Reserved"))
        return f"{item.title}（{'・'.join(facts)}）"

    def item_link(self, item: Listing) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Listing) -> str:
        return f"{settings.SITE_URL}/listings/{item.pk}/"

    def item_pubdate(self, item: Listing):
        return to_the_minute(item.published_at)

    def item_updateddate(self, item: Listing):
        return to_the_minute(item.updated_at)

    def item_categories(self, item: Listing) -> list[str]:
        return [item.category.name_ja, item.town.name, item.get_kind_display()]

    def item_enclosures(self, item: Listing) -> list[Enclosure]:
        photos = list(item.photos.all())
        if not photos:
            return []
        cover = photos[0]
        return [Enclosure(absolute(cover.thumbnail.url), str(cover.thumbnail_bytes), "image/jpeg")]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        item = kwargs["item"]
        photos = list(item.photos.all())
        context["thumbnail_url"] = absolute(photos[0].thumbnail.url) if photos else ""
        context["price"] = price_label(item)
        return context


class ConsultationsFeed(WardFeed):
    """The ward's published consultations (never a draft), newest opening first."""

    def title(self) -> str:
        return f"{settings.MUNICIPALITY_CITY} 区民アンケート・意見募集"

    def subtitle(self) -> str:
        return f"{settings.MUNICIPALITY_PREFECTURE}{settings.MUNICIPALITY_CITY}が区民の皆さまにお聞きするアンケートと意見募集"

    def link(self) -> str:
        return settings.SITE_URL + reverse("consultations:list")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("mirror:consultations_feed")

    def items(self):
        return list(consultations_public().order_by("-opens_at", "-id")[:FEED_SIZE])

    def item_title(self, item: Consultation) -> str:
        return item.title

    def item_description(self, item: Consultation) -> str:
        """The start of the description (the summary is HTML: the text escaped)."""
        return escape(Truncator(item.description).chars(SUMMARY_CHARS))

    def item_link(self, item: Consultation) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Consultation) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item: Consultation):
        return to_the_minute(item.published_at)

    def item_updateddate(self, item: Consultation):
        return to_the_minute(item.updated_at)

    def item_categories(self, item: Consultation) -> list[str]:
        return [town.name for town in item.towns.all()]
