"""Staff forms for webhook endpoints."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from core.forms import LineField

from mirror.models import EVENT_TYPES, WebhookEndpoint


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_(
            "Where the ward's server receives events: an http:// or https:// address on the public internet, "
            "without a user name or password. Redirects are not followed."
        ),
    )
    description = LineField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENT_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to receive every event."),
    )
    is_active = forms.BooleanField(label=_("Active (send events to this endpoint)"), required=False, initial=True)

    @classmethod
    def for_endpoint(cls, endpoint: WebhookEndpoint, data=None) -> "EndpointForm":
        initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events, "is_active": endpoint.is_active}
        return cls(data, initial=initial)
