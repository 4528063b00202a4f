"""The answer form, built from a consultation's questions: a field per question (a ranking has one
per place), named q<question id> (q<id>_<place>), prefilled with the resident's earlier answers."""

from django import forms
from django.utils.translation import gettext as _, gettext_lazy

from consultations.models import Ballot, Question
from core.contacts import contact_details_in
from core.forms import TextField, contact_detail_error


def _name(question: Question, place: int | None = None) -> str:
    return f"q{question.pk}" if place is None else f"q{question.pk}_{place}"


class AnswerForm(forms.Form):
    def __init__(self, *args, questions: list[Question], ballot: Ballot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        answers = ballot.answers if ballot is not None else {}
        comments = {comment.question_id: comment.text for comment in ballot.comments.all()} if ballot is not None else {}
        for number, question in enumerate(questions, 1):
            label = f"{_('Q%(number)s.') % {'number': number}} {question.text}"
            value = answers.get(str(question.pk))
            if question.kind == Question.Kind.RANKING:
                options = list(question.options.all())
                choices = [("", gettext_lazy("Choose"))] + [(str(option.pk), option.label) for option in options]
                for place in range(1, len(options) + 1):
                    self.fields[_name(question, place)] = forms.ChoiceField(
                        label=_("Place %(place)s") % {"place": place}, choices=choices, required=False,
                        initial=str(value[place - 1]) if value and len(value) >= place else "",
                    )
                question.form_label = label
                continue
            self.fields[_name(question)] = self._field(question, label, value, comments.get(question.pk, ""))

    @staticmethod
    def _field(question: Question, label: str, value, comment: str) -> forms.Field:
        common = {"label": label, "help_text": question.help_text, "required": question.required}
        options = [(str(option.pk), option.label) for option in question.options.all()]
        if question.kind == Question.Kind.SINGLE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, initial=str(value or ""), **common)
        if question.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple,
                                             initial=[str(item) for item in value or []], **common)
        if question.kind == Question.Kind.SCALE:
            low, high = question.scale_low or "1", question.scale_high or "5"
            scale = [(str(n), f"{n}: {low}" if n == 1 else f"{n}: {high}" if n == 5 else str(n)) for n in range(1, 6)]
            return forms.ChoiceField(choices=scale, widget=forms.RadioSelect, initial=str(value or ""), **common)
        return TextField(max_length=question.max_length, widget=forms.Textarea(attrs={"rows": 4}), initial=comment, **common)

    def clean(self) -> dict:
        data = super().clean()
        for question in self.questions:
            if question.kind == Question.Kind.MULTIPLE:
                chosen = data.get(_name(question)) or []
                if question.max_choices and len(chosen) > question.max_choices:
                    self.add_error(_name(question), _("Choose at most %(count)s.") % {"count": question.max_choices})
            elif question.kind == Question.Kind.RANKING:
                self._clean_ranking(question, data)
            elif question.kind == Question.Kind.TEXT:
                for detail in contact_details_in(data.get(_name(question)) or ""):
                    self.add_error(_name(question), contact_detail_error(detail))
        return data

    def _clean_ranking(self, question: Question, data: dict) -> None:
        places = [data.get(_name(question, place)) or "" for place in range(1, len(question.options.all()) + 1)]
        first = _name(question, 1)
        if len([place for place in places if place]) != len(set(place for place in places if place)):
            self.add_error(first, _("Each option can have one place only."))
        elif any(places) and not all(places):
            self.add_error(first, _("Give every option a place, or none."))
        elif question.required and not any(places):
            self.add_error(first, _("Please rank the options."))

    def answers(self) -> dict:
        """{question id (str): answer} for the ballot; free texts are in comments()."""
        found = {}
        for question in self.questions:
            if question.kind == Question.Kind.RANKING:
                places = [self.cleaned_data.get(_name(question, p)) for p in range(1, len(question.options.all()) + 1)]
                value = [int(place) for place in places if place]
            elif question.kind == Question.Kind.MULTIPLE:
                value = [int(item) for item in self.cleaned_data.get(_name(question)) or []]
            elif question.kind == Question.Kind.TEXT:
                continue
            else:
                raw = self.cleaned_data.get(_name(question))
                value = int(raw) if raw else None
            if value not in (None, []):
                found[str(question.pk)] = value
        return found

    def comments(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(_name(q)) or "" for q in self.questions if q.kind == Question.Kind.TEXT}

    def groups(self) -> list[tuple[Question, list]]:
        """(question, its bound fields) in order, for the template."""
        return [
            (question, [self[name] for name in self.fields if name == _name(question) or name.startswith(_name(question) + "_")])
            for question in self.questions
        ]
