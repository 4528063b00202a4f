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
        label=_("Price from (yen)"), field_name="price", lookup_expr="gte", min_value=0
    )
    price_max = django_filters.NumberFilter(
        label=_("Price up to (yen)"), field_name="price", lookup_expr="lte", min_value=0
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

    def filter_keyword(self, qs: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return search.search(qs, value)

    def filter_free(self, qs: QuerySet[Listing], name: str, value: bool) -> QuerySet[Listing]:
        return qs.filter(price=0) if value else qs

    def filter_photos(self, qs: QuerySet[Listing], name: str, value: bool) -> QuerySet[Listing]:
        return qs.filter(photo_count__gt=0) if value else qs

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
