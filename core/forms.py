"""Form pieces every app's forms and views share."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.contacts import ContactDetail, contact_details_in
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
        return text_clean(value.replace("\t", " ")) if value else value  # a tab is a space on one line


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


def send_anyway_field() -> forms.BooleanField:
    """The box a person ticks when what looks like a contact detail is not one (staff then check)."""
    return forms.BooleanField(
        label=_("This is not a contact detail — send anyway"),
        required=False,
        help_text=_("Staff will check it before it is shown."),
    )


def contact_detail_error(detail: ContactDetail) -> str:
    """The sentence shown under a field holding a contact detail: which part, and why."""
    return _("“%(text)s” %(reason)s. Please do not publish contact details.") % {"text": detail.text, "reason": detail.reason}


def contact_details_check(form: forms.Form, names: tuple[str, ...], *, confirm: str = "send_anyway") -> list[ContactDetail]:
    """Point at each contact detail in the form's changed text fields, unless the person ticked
    `confirm`; returns what was found (form.contact_details, for components/contact_warning.html).
    A field whose text is its initial value (already seen by staff) is not checked again."""
    found: list[ContactDetail] = []
    for name in names:
        value = form.cleaned_data.get(name) or ""
        if value == form.initial.get(name):
            continue
        details = contact_details_in(value)
        found.extend(details)
        if details and not form.cleaned_data.get(confirm):
            for detail in details:
                form.add_error(name, contact_detail_error(detail))
    form.contact_details = found
    return found
