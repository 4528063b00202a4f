"""Browse filters and sort orders (django-filter)."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from listings import search
from listings.models import Category, Listing

SORTS = {
    "newest": ("-published_at", "-id"),
    "price": ("price", "-published_at", "-id"),
    "price_desc": ("-price", "-published_at", "-id"),
    "expiring": ("expires_at", "-id"),
}
SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("price", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("expiring", _("Ending soon")),
]

FORM_ID = "browse-form"
# The filters folded behind the 「絞り込み」 button (the keyword stays at the top; a sort order
# narrows nothing, so it is not counted).
FOLDED_FILTERS = ("kind", "category", "town", "free", "price_min", "price_max", "photos")


def _narrows(value) -> bool:
    """Is this cleaned filter value a choice? A price of 0 yen is (and 0 == False, hence no `in`)."""
    return value is not None and value is not False and value != ""


def price_at_least(qs: QuerySet[Listing], yen) -> QuerySet[Listing]:
    """Listings priced `yen` or more (the browse page's "price from"; the public API's price_min)."""
    return qs.filter(price__gte=yen)


def price_at_most(qs: QuerySet[Listing], yen) -> QuerySet[Listing]:
    """Listings priced `yen` or less (the browse page's "price up to"; the public API's price_max)."""
    return qs.filter(price__lte=yen)


def with_photos(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """Listings with at least one photo (the browse page's and the public API's `photos`)."""
    return qs.filter(photo_count__gt=0)


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Listing.Kind.choices, empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    town = django_filters.ModelChoiceFilter(label=_("Town"), queryset=Town.objects.all(), empty_label=_("All towns"))
    free = django_filters.BooleanFilter(
        label=_("Free only"), method="filter_free", widget=forms.CheckboxInput
    )
    price_min = django_filters.NumberFilter(
        label=_("Price from (yen)"), method="filter_price_min", min_value=0
    )
    price_max = django_filters.NumberFilter(
        label=_("Price up to (yen)"), method="filter_price_max", min_value=0
    )
    photos = django_filters.BooleanFilter(
        label=_("With photos only"), method="filter_photos", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The keyword box sits at the top of the page and the folded filters below the results:
        # both belong to the one search form through the HTML form attribute.
        for field in self.form.fields.values():
            field.widget.attrs["form"] = FORM_ID

    def filter_keyword(self, qs: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return search.search(qs, value)

    def filter_free(self, qs: QuerySet[Listing], name: str, value: bool) -> QuerySet[Listing]:
        return qs.filter(price=0) if value else qs

    def filter_price_min(self, qs: QuerySet[Listing], name: str, value) -> QuerySet[Listing]:
        return price_at_least(qs, value)

    def filter_price_max(self, qs: QuerySet[Listing], name: str, value) -> QuerySet[Listing]:
        return price_at_most(qs, value)

    def filter_photos(self, qs: QuerySet[Listing], name: str, value: bool) -> QuerySet[Listing]:
        return with_photos(qs) if value else qs

    def filter_sort(self, qs: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return qs  # applied last, in `qs`, so that it also holds when no sort was chosen

    @property
    def keyword_invalid(self) -> bool:
        """Was a keyword given that cannot be searched for (too long)? Then nothing matches."""
        return self.is_bound and "q" in self.form.errors

    @property
    def ignored(self) -> list[str]:
        """Labels of the filters left out because their value is not valid."""
        if not self.is_bound:
            return []
        return [str(self.form.fields[name].label) for name in self.form.errors if name in self.form.fields and name != "q"]

    @property
    def active_count(self) -> int:
        """How many of the folded filters narrow the results (values that are not valid do not)."""
        if not self.is_bound:
            return 0
        self.form.is_valid()
        chosen = self.form.cleaned_data
        return sum(1 for name in FOLDED_FILTERS if _narrows(chosen.get(name)))

    @property
    def keyword(self) -> str:
        """The keyword searched for, or "" (none, or one too long to search)."""
        if not self.is_bound:
            return ""
        self.form.is_valid()
        return self.form.cleaned_data.get("q") or ""

    @property
    def chosen_sort(self) -> str:
        """The chosen sort order, even when another filter's value is not valid."""
        if not self.is_bound:
            return "newest"
        self.form.is_valid()  # cleans the form: cleaned_data holds every field whose value is valid
        chosen = self.form.cleaned_data.get("sort")
        return chosen if chosen in SORTS else "newest"

    @property
    def qs(self) -> QuerySet[Listing]:
        # django-filter applies the valid filters and leaves out the others: right for a town or a
        # price that is not valid (reported beside the field), wrong for a keyword, where leaving
        # it out would list every item for a search the resident meant to narrow.
        qs = self.queryset.none() if self.keyword_invalid else super().qs
        return qs.order_by(*SORTS[self.chosen_sort])
