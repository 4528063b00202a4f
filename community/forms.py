from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from community.models import Facility, FacilityKind, PostReport, Thread, Topic
from core.forms import LineField, TextField, contact_details_check, send_anyway_field

RULES_HELP = _(
    "Do not write the names of teachers, staff, children or other residents, and no personal attacks. "
    "Write about your own experience. Posts with certain words wait for staff review."
)


class ThreadForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("- Select an option -")), *Topic.choices])
    facility = forms.ModelChoiceField(
        label=_("Facility (optional)"),
        queryset=Facility.objects.order_by("name_kana", "name"),
        required=False,
        empty_label=_("No particular facility"),
    )
    title = LineField(label=_("Title"), max_length=Thread._meta.get_field("title").max_length)
    body = TextField(
        label=_("Text"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}), help_text=RULES_HELP
    )
    send_anyway = send_anyway_field()

    def clean(self):
        cleaned = super().clean()
        contact_details_check(self, ("title", "body"))  # sent anyway, the post is held (community.services)
        return cleaned

    def post_data(self) -> dict:
        """What the thread_create service takes."""
        return {name: value for name, value in self.cleaned_data.items() if name != "send_anyway"}


class ReplyForm(forms.Form):
    body = TextField(
        label=_("Reply"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), help_text=RULES_HELP
    )
    send_anyway = send_anyway_field()

    def clean(self):
        cleaned = super().clean()
        contact_details_check(self, ("body",))
        return cleaned


class EditForm(forms.Form):
    title = LineField(label=_("Title"), max_length=Thread._meta.get_field("title").max_length, required=False)
    body = TextField(
        label=_("Text"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}), help_text=RULES_HELP
    )

    send_anyway = send_anyway_field()

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_title:
            self.fields["title"].required = True
        else:
            del self.fields["title"]

    def clean(self):
        cleaned = super().clean()
        contact_details_check(self, ("title", "body"))
        return cleaned


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=PostReport.Reason.choices, widget=forms.RadioSelect)
    note = TextField(label=_("Details (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FacilityFilterForm(forms.Form):
    q = LineField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *FacilityKind.choices], required=False)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.all(), required=False, empty_label=_("All towns"))


class ThreadFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False)


# --- staff ------------------------------------------------------------------------------------

class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Reason (written to the audit log)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(forms.Form):
    reason = TextField(label=_("Note (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect)


class OfficialAnswerForm(forms.Form):
    body = TextField(
        label=_("Answer for the ward"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )


class NGWordForm(forms.Form):
    word = LineField(label=_("Word or phrase"), max_length=50)


class FacilityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Municipal standard open-data layout (名称, 名称_カナ, 種別, 住所, 緯度, 経度, URL...), UTF-8 or Shift_JIS."),
    )
    dataset = forms.CharField(
        label=_("Dataset (optional)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"list": "datasets"}),
        help_text=_(
            "Which open-data file this is, e.g. 公共施設一覧 or 保育園一覧; left empty, the file name without its date. "
            "IDs are matched within one dataset, so give a newer edition of a file the same name."
        ),
    )
