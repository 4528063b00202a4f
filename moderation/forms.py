from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_GROUP, Town, User
from core.forms import LineField, TextField
from core.models import AuditRecord
from listings.forms import ListingForm
from listings.models import Category, Listing, ListingRules
from moderation.models import ReasonTemplate
from notifications.line import TEXT_LIMIT
from notifications.segments import line_text_length


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name or obj.email  # a superuser without a display name is not "区民"


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All actions")), *AuditRecord.Action.choices], required=False)
    actor = StaffChoiceField(
        # Superusers act as staff without the group; their records must be filterable too.
        label=_("Staff member"),
        queryset=User.objects.filter(Q(groups__name=STAFF_GROUP) | Q(is_superuser=True)).distinct().order_by("display_name", "email"),
        required=False, empty_label=_("Everyone"),
    )
    target = forms.CharField(label=_("Object (type or type:id)"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Reason template"), queryset=ReasonTemplate.objects.all(), required=False, empty_label=_("(write your own)")
    )
    reason = TextField(
        label=_("Reason the resident reads"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Left empty, the template's text is used."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("reason") or "").strip():
            if data.get("template"):
                data["reason"] = data["template"].text
            else:
                raise forms.ValidationError(_("Choose a reason template or write the reason."))
        return data


class ListingRulesForm(forms.ModelForm):
    class Meta:
        model = ListingRules
        fields = ["price_cap", "expiry_days", "review_all", "review_new_accounts_days", "review_categories", "review_ng_words", "prohibited_items"]
        widgets = {"review_categories": forms.CheckboxSelectMultiple, "prohibited_items": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"prohibited_items": TextField}
        help_texts = {
            "prohibited_items": _(
                "Shown on the listing form, one rule per line. A listing whose title or description names one of these "
                "items waits for review (items in one line can be separated with 、 or ・, e.g. 医薬品（処方薬・市販薬）)."
            ),
        }


class ReasonTemplateForm(forms.Form):
    title = LineField(label=_("Name"), max_length=60)
    text = TextField(label=_("Reason the resident reads"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Reason (the account reads it for warnings and suspensions; always written to the audit log)"),
        max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrintFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Listing.Kind.choices, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False, empty_label=_("All categories"))
    since = forms.DateField(label=_("Published since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Published until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AssistedForm(ListingForm):
    """A listing form with the postcard resident's details (kept for staff only)."""

    resident_name = LineField(label=_("Resident's name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    postal_code = forms.CharField(label=_("Resident's postal code"), max_length=10)
    staff_note = TextField(label=_("Note for staff (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["resident_name", "phone", "postal_code", "staff_note"]


class MessageForm(forms.Form):
    body = TextField(label=_("Message to the requester"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = TextField(label=_("Note (a call with the resident, what was agreed)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ImpactSettingsForm(forms.Form):
    """The CO2 factor and one weight field per active category (named weight_<id>)."""

    co2_per_tonne = forms.DecimalField(label=_("CO2 saved per tonne reused (t CO2e)"), min_value=0, max_digits=6, decimal_places=3)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"weight_{category.pk}"] = forms.DecimalField(
                label=_("Average weight of one item in “%(category)s” (kg)") % {"category": category.name},
                min_value=0, max_digits=6, decimal_places=1, initial=category.average_weight_kg,
            )

    def weights(self) -> dict:
        return {category.pk: self.cleaned_data[f"weight_{category.pk}"] for category in self.categories}


class ImpactPeriodForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, choices=[(6, _("6 months")), (12, _("12 months")), (24, _("24 months"))])


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name_ja", "name_en", "slug", "position", "is_active"]
        field_classes = {"name_ja": LineField, "name_en": LineField}
        help_texts = {"slug": _("Letters, digits and hyphens; used in addresses and the API. It cannot change later.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True


class LineSegmentForm(forms.Form):
    """A segment message: the text and its audience (no town or interest checked: not narrowed).
    `expected` is the number of recipients the preview showed, which sending must still find."""

    text = TextField(label=_("Message"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))
    towns = forms.ModelMultipleChoiceField(
        label=_("Towns"), queryset=Town.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Residents living in one of the checked towns. None checked: every town."),
        error_messages={"invalid_choice": _("There is no town %(value)s; choose towns from the list.")},
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Interests"), queryset=Category.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Residents who chose at least one of the checked interests. None checked: whatever their interests."),
        error_messages={"invalid_choice": _("There is no category %(value)s; choose interests from the list.")},
    )
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if line_text_length(text) > TEXT_LIMIT:
            raise forms.ValidationError(_("A LINE message holds at most %(limit)s characters.") % {"limit": TEXT_LIMIT})
        return text
