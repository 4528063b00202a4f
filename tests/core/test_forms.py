"""core.forms.add_errors: a service's refusal shown on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_errors


class _Form(forms.Form):
    title = forms.CharField()


def _form() -> _Form:
    form = _Form({"title": "本棚"})
    assert form.is_valid()
    return form


def test_an_error_for_a_field_on_the_form_stands_beside_that_field():
    form = _form()
    add_errors(form, ValidationError({"title": "This title is taken.", "category": "This category is no longer in use."}))
    assert form.errors["title"] == ["This title is taken."]
    assert form.non_field_errors() == ["This category is no longer in use."]  # no such field: above the form
    assert "category" not in form.errors


def test_an_error_without_a_field_stands_above_the_form():
    form = _form()
    add_errors(form, ValidationError(["You have reported this already.", "Try again tomorrow."]))
    assert form.non_field_errors() == ["You have reported this already.", "Try again tomorrow."]
    assert not form.is_valid()
