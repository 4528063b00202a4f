"""The filters the feed and the widget take from the query string (the API validates its own)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from listings.models import Listing
from mirror import selectors


WIDGET_DEFAULT_LIMIT = 6
WIDGET_MAX_LIMIT = 50


class MirrorFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Listing.Kind.choices))
    category = forms.SlugField(required=False, max_length=40)
    town = forms.IntegerField(required=False, min_value=1, max_value=2_147_483_647)
    free = forms.BooleanField(required=False)
    limit = forms.IntegerField(required=False)
    # The widget's language: the ward's page decides, not the visitor's browser (default LANGUAGE_CODE).
    lang = forms.ChoiceField(required=False, choices=settings.LANGUAGES)

    def clean_limit(self) -> int | None:
        """A number out of range becomes the nearest allowed one (80 shows the most there are)."""
        limit = self.cleaned_data["limit"]
        return None if limit is None else min(max(limit, 1), WIDGET_MAX_LIMIT)

    def clean_category(self) -> str:
        slug = self.cleaned_data["category"]
        if slug and not selectors.category_is_active(slug):
            raise forms.ValidationError("Unknown category.")
        return slug

    def clean_town(self) -> int | None:
        town = self.cleaned_data["town"]
        if town and not selectors.town_exists(town):
            raise forms.ValidationError("Unknown town.")
        return town


def valid_filters(data) -> dict:
    """Cleaned filters, leaving out any that are invalid (a feed reader or an iframe cannot show errors)."""
    form = MirrorFilterForm(data)
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


def filtered_listings(filters: dict) -> QuerySet[Listing]:
    """The public listings that cleaned filters select, unordered (the feed and the widget order them)."""
    return selectors.filter_listings(
        selectors.listings_for_api(),
        q=filters.get("q") or "",
        kind=filters.get("kind") or "",
        category=filters.get("category") or "",
        town=filters.get("town"),
        free=bool(filters.get("free")),
    )


FILTER_NAMES = ("q", "kind", "category", "town", "free")


def filter_query(filters: dict, *, free: str = "1") -> str:
    """Cleaned filters as a query string, in a fixed order and without empty ones: one URL per
    filtered view. `free` is the value for "free only" (the browse page's checkbox sends "on")."""
    pairs = [(name, free if name == "free" else filters.get(name)) for name in FILTER_NAMES if filters.get(name)]
    return urlencode(pairs)


def browse_url(filters: dict) -> str:
    """The absolute URL of the browse page showing the listings that cleaned filters select."""
    query = filter_query(filters, free="on")
    return settings.SITE_URL + reverse("listings:browse") + (f"?{query}" if query else "")


def widget_query(filters: dict) -> str:
    """The widget snippet's query: the filters, the number of items, and the language unless it is the default."""
    own = [("limit", filters.get("limit") or WIDGET_DEFAULT_LIMIT)]  # always: staff see it in the form
    if filters.get("lang") and filters["lang"] != settings.LANGUAGE_CODE:
        own.append(("lang", filters["lang"]))
    return "&".join(part for part in (filter_query(filters), urlencode(own)) if part)
