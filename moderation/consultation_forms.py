"""Staff forms for ward consultations (区民アンケート): the consultation, a question, a document,
a paper questionnaire's town and the texts published with the results. The rules are
consultations.services'; these forms only read what staff typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Town
from community.models import Facility
from consultations.models import Consultation, Question
from core.forms import LineField, TextField

DATETIME_INPUT = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


def _towns_field(label, help_text) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Town.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text,
        error_messages={"invalid_choice": _("There is no town %(value)s; choose towns from the list.")},
    )


class ConsultationForm(forms.Form):
    """Times are typed in the ward's time zone (TIME_ZONE), which Django applies to naive input."""

    title = LineField(label=_("Title"), max_length=200)
    description = TextField(label=_("Description"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 8}))
    opens_at = forms.DateTimeField(label=_("Opens at"), **DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=_("Closes at"), **DATETIME_INPUT)
    towns = _towns_field(_("Towns that may answer"), _("Residents of the checked towns may answer. None checked: every resident of the ward."))
    facility = forms.ModelChoiceField(
        label=_("Facility (optional)"), queryset=Facility.objects.order_by("name"), required=False,
        help_text=_("The park, school or other facility the consultation is about."),
        error_messages={"invalid_choice": _("Choose a facility from the list.")},
    )
    results_live = forms.BooleanField(label=_("Show the results while it is open"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The closing time must come after the opening time."))
        return data

    @staticmethod
    def initial_for(consultation: Consultation) -> dict:
        return {
            "title": consultation.title, "description": consultation.description, "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at, "towns": list(consultation.towns.all()),
            "facility": consultation.facility, "results_live": consultation.results_live,
        }

    def apply(self, consultation: Consultation) -> Consultation:
        for name in ("title", "description", "opens_at", "closes_at", "facility", "results_live"):
            setattr(consultation, name, self.cleaned_data[name])
        return consultation


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text = LineField(label=_("Question"), max_length=500)
    help_text = LineField(label=_("Explanation (optional)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line (one choice, several choices: up to 20; a ranking: up to 5)."),
    )
    max_choices = forms.IntegerField(
        label=_("Several choices: at most this many"), required=False, min_value=1, max_value=20,
        help_text=_("Empty: as many as there are options."),
    )
    max_length = forms.IntegerField(label=_("Free text: at most this many characters"), min_value=10, max_value=5000, initial=400)
    scale_low = LineField(label=_("Scale: what 1 means"), max_length=50, required=False, help_text=_("For example 反対 or 不満."))
    scale_high = LineField(label=_("Scale: what 5 means"), max_length=50, required=False, help_text=_("For example 賛成 or 満足."))

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "kind": question.kind, "text": question.text, "help_text": question.help_text, "required": question.required,
            "options": "\n".join(option.label for option in question.options.all()), "max_choices": question.max_choices,
            "max_length": question.max_length, "scale_low": question.scale_low, "scale_high": question.scale_high,
        }

    def apply(self, question: Question) -> Question:
        for name in ("kind", "text", "help_text", "required", "max_choices", "max_length", "scale_low", "scale_high"):
            setattr(question, name, self.cleaned_data[name])
        if question.kind != Question.Kind.MULTIPLE:
            question.max_choices = None
        return question

    def option_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF document (at most 20 MB)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))


class PaperTownForm(forms.Form):
    town = forms.ModelChoiceField(
        label=_("Town written on the questionnaire (optional)"), queryset=Town.objects.all(), required=False,
        error_messages={"invalid_choice": _("Choose a town from the list.")},
    )


class ResultsTextForm(forms.Form):
    summary = TextField(label=_("Summary of the answers"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 10}))
    response = TextField(label=_("The ward's response (区の考え方)"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 10}))
