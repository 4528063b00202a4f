"""The notification settings form: a switch per event and channel, quiet hours, the daily cap, the
ward's news on LINE and the interests it may be narrowed by."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel, Event, Preference


def switch_name(event: str, channel: str) -> str:
    return f"{event}_{channel}"


class PreferenceForm(forms.ModelForm):
    """One checkbox per (event, channel) pair, built from the two choice lists, then the times, then
    the ward's news on LINE with the interests among `interests` ((category id, name) pairs: the
    view reads them, as this app does not import listings)."""

    line_categories = forms.TypedMultipleChoiceField(
        label=_("Interests"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("News about one of these reaches you; news for everyone reaches you whatever you choose."),
    )

    class Meta:
        model = Preference
        fields = ["alerts_daily_cap", "quiet_enabled", "quiet_start", "quiet_end", "line_news", "line_categories"]
        widgets = {
            "alerts_daily_cap": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_enabled": _("Push and LINE notices that arrive in these hours are held and sent when they end. Email is not held."),
        }

    def __init__(self, *args, chosen: dict[str, set[str]], interests: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_categories"].choices = interests
        for event in Event:
            for channel in Channel:
                self.fields[switch_name(event, channel)] = forms.BooleanField(
                    required=False, initial=channel in chosen[event], label=channel.label
                )

    def rows(self) -> list[tuple[str, list]]:
        """(event label, [bound field per channel]): a group of checkboxes per event."""
        return [(event.label, [self[switch_name(event, channel)] for channel in Channel]) for event in Event]

    def chosen(self) -> dict[str, list[str]]:
        return {
            event: [channel for channel in Channel if self.cleaned_data[switch_name(event, channel)]]
            for event in Event
        }


class SubscriptionForm(forms.Form):
    """A browser's push subscription, as the settings page's script posts it (PushSubscription.toJSON)."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=200)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=100)
    device = forms.CharField(max_length=100, required=False)
