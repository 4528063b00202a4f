from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from alerts.models import SavedSearch
from listings.models import Category, Listing


class SaveSearchForm(forms.Form):
    """The browse page's current filters, posted by its "save this search" button."""

    q = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Listing.Kind.choices))
    category = forms.ModelChoiceField(required=False, queryset=Category.objects.filter(is_active=True), to_field_name="slug")
    town = forms.ModelChoiceField(required=False, queryset=Town.objects.all())
    free = forms.BooleanField(required=False)


class SavedSearchSettingsForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["frequency", "channel", "is_active"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"is_active": _("Alerts on")}

    def __init__(self, *args, line_available: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not line_available:
            self.fields["channel"].choices = [("email", _("Email"))]
