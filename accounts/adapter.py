"""allauth's emails (address confirmation, password reset, security notices) sent the site's one
way: by core's mail task, retried when the mail server fails, recorded for staff when given up,
and never an error page for the person signing up."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core import context
from allauth.core.internal.cryptokit import generate_user_code
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.encoding import force_str

from core.mail import email_queue
from core.municipality import service_name


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Render the email as allauth does and queue it on the mail task instead of sending it."""
        request = context.request
        values = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "service_name": service_name(),
            **context_data,
        }
        message = self.render_mail(template_prefix, email, values)
        email_queue(to=email, subject=message.subject, body=message.body, kind=template_prefix)

    def generate_email_verification_code(self) -> str:
        """Six digits, typed on a phone's number pad (three tries, fifteen minutes: allauth's limits)."""
        return generate_user_code(length=6, numeric=True, dashed=False)

    def format_email_subject(self, subject: str) -> str:
        """Start the subject with EMAIL_SUBJECT_PREFIX, as every email of the site (core/mail.py)."""
        return settings.EMAIL_SUBJECT_PREFIX + force_str(subject)

    def post_login(self, request, user, *, redirect_url=None, **kwargs):
        """A suspended resident learns it at once: the suspension notice is the first page after
        signing in (with a link on to where they were going), not a 403 on their first post."""
        if getattr(user, "suspended_at", None):
            target = redirect_url or get_next_redirect_url(request)
            notice = reverse("accounts:suspended")
            redirect_url = f"{notice}?{urlencode({'next': target})}" if target else notice
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)
