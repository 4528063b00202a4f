from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LineField
from messaging.models import Conversation, MessageReport
from messaging.selectors import contact_details_question, contact_details_to_confirm


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=settings.MESSAGING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write your address or phone number until you have agreed on the handover."),
    )
    send_anyway = forms.BooleanField(required=False)  # the "Send anyway" button of the question below

    def __init__(self, *args, conversation: Conversation | None = None, **kwargs):
        """`conversation`: where the message goes (None for a first message), to know whether a
        handover is agreed there yet."""
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self.contact_details = []

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("body") and not cleaned.get("send_anyway"):
            # Asked, never refused: the message waits in the box until the sender confirms.
            self.contact_details = contact_details_to_confirm(self.conversation, cleaned["body"])
            if self.contact_details:
                self.add_error("body", contact_details_question(self.contact_details))
        return cleaned


class RequestForm(MessageForm):
    body = forms.CharField(
        label=_("Your first message"),
        max_length=settings.MESSAGING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say why you would like it and when you could pick it up. Your address and phone number stay private."),
    )


class PickupForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Date and time"),  # under the heading 「受け渡し日時」, which it must not repeat
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class LotteryForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Requests close at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("When this time comes, one of everyone who asked before it is chosen at random."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closes_at": timezone.localtime() + timezone.timedelta(days=2)})
        super().__init__(*args, **kwargs)


class ThanksForm(forms.Form):
    text = LineField(label=_("A short thank-you (optional)"), max_length=200, required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=MessageReport.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Details (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
