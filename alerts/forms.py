from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from core.forms import LineField
from alerts.models import SavedSearch
from listings.models import Category, Listing


class SaveSearchForm(forms.Form):
    """The browse page's current filters, posted by its "save this search" button."""

    q = LineField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Listing.Kind.choices))
    category = forms.ModelChoiceField(required=False, queryset=Category.objects.filter(is_active=True), to_field_name="slug")
    town = forms.ModelChoiceField(required=False, queryset=Town.objects.all())
    free = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in ("q", "kind", "category", "town", "free")):
            # A search for everything would alert on every new item in the ward.
            raise forms.ValidationError(_("Choose a keyword or a filter before saving a search."), code="empty")
        return data


class SavedSearchSettingsForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["frequency", "is_active"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"is_active": _("Alerts on")}
