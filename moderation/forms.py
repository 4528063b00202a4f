from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_GROUP, User
from moderation.models import AuditRecord


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All actions")), *AuditRecord.Action.choices], required=False)
    actor = forms.ModelChoiceField(
        label=_("Staff member"), queryset=User.objects.filter(groups__name=STAFF_GROUP).order_by("display_name"),
        required=False, empty_label=_("Everyone"),
    )
    target = forms.CharField(label=_("Object (type or type:id)"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
