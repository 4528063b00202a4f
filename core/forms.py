"""Form pieces every app's forms and views share."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.text import text_clean, validate_one_line


class TextField(forms.CharField):
    """A CharField whose value goes through text_clean before validation (length, required)."""

    def to_python(self, value):
        value = super().to_python(value)
        return text_clean(value) if value else value


class LineField(TextField):
    """A TextField for one line (a title, a name, a label that may reach an email subject): a line
    break or a bidi override control is refused with a sentence, not cleaned away unseen."""

    def to_python(self, value):
        value = forms.CharField.to_python(self, value)  # strips, so a pasted trailing newline is fine
        if value:
            validate_one_line(value)
        return text_clean(value) if value else value


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors on the form: beside their field when it names one shown on the form,
    else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """A refused action's reasons as error messages on the next page, one message each."""
    for text in exc.messages:
        messages.error(request, text)
