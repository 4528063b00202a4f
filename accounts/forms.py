"""Account forms: residency questions at sign-up, profile, notifications, deletion."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from core.forms import LineField

_POSTAL_HELP = _("Your home postal code, e.g. 104-0061. Only residents of the ward can take part; it is never shown to others.")


class ProfileForm(forms.Form):
    """Display name and home postal code; the postal code must lie in the municipality."""

    display_name = LineField(
        label=_("Display name"),
        max_length=30,
        help_text=_("Shown to other residents. Do not use your full real name."),
        error_messages={"required": _("Enter a display name.")},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        help_text=_POSTAL_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # None at sign-up

    def clean_display_name(self) -> str:
        return services.display_name_check(self.cleaned_data["display_name"], user=self.user)

    def clean_postal_code(self) -> str:
        raw = self.cleaned_data["postal_code"]
        self.cleaned_data["town"] = services.town_for_postal_code(raw)
        return services.postal_code_normalise(raw)



class ButtonValue(forms.Widget):
    """A value sent by the form's submit button (name and value on the button), so nothing to
    render: the sign-up button accepts the terms (templates/account/_signup_consent.html)."""

    is_hidden = True

    def render(self, name, value, attrs=None, renderer=None) -> str:
        return ""


class ResidentSignupForm(ProfileForm):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS), also used for LINE sign-up."""

    accept_terms = forms.BooleanField(
        widget=ButtonValue,
        error_messages={"required": _("Please accept the terms of use and the privacy policy to sign up.")},
    )
    # allauth adds the password fields after this form's own; the acceptance comes last, above the button.
    field_order = ["email", "display_name", "postal_code", "password1", "accept_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, in the page's language, with links to both documents (opened beside the form).
        self.fields["accept_terms"].label = format_html(
            _('By signing up you accept the <a href="{terms}" target="_blank" rel="noopener">terms of use</a> and the '
              '<a href="{privacy}" target="_blank" rel="noopener">privacy policy</a>.'),
            terms=reverse("terms"),
            privacy=reverse("privacy"),
        )

    def signup(self, request, user: User) -> None:
        """Called by allauth once the account exists."""
        services.user_update_profile(
            user=user,
            display_name=self.cleaned_data["display_name"],
            postal_code=self.cleaned_data["postal_code"],
        )
        services.terms_accept(user=user)


class TermsAcceptForm(forms.Form):
    """The accept button after a new version of the terms; `next` is where the resident was going."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)


class NotificationForm(forms.Form):
    notify_messages = forms.BooleanField(label=_("Email me when I receive a message"), required=False)
    notify_listings = forms.BooleanField(
        label=_("Email me about my listings (expiry, moderation)"), required=False
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    board_posts = forms.ChoiceField(
        label=_("What you wrote on the board"),
        choices=[
            ("erase", _("Delete my posts: each is replaced by a notice that it was deleted, so the threads stay readable.")),
            ("keep", _("Keep my posts anonymous: they stay under their IDs and are no longer linked to any account.")),
        ],
        initial="erase",
        required=False,  # the default is chosen on the page; a form sent without it means the same
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and my listings withdrawn."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]  # LINE-only accounts have no password to confirm with

    def clean_board_posts(self) -> str:
        return self.cleaned_data["board_posts"] or "erase"

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password
