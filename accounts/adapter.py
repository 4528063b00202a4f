"""allauth's emails (address confirmation, password reset, security notices) sent the site's one
way: by core's mail task, retried when the mail server fails, recorded for staff when given up,
and never an error page for the person signing up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site

from core.mail import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Render the email as allauth does and queue it on the mail task instead of sending it."""
        request = context.request
        values = {"request": request, "email": email, "current_site": get_current_site(request), **context_data}
        message = self.render_mail(template_prefix, email, values)
        email_queue(to=email, subject=message.subject, body=message.body, kind=template_prefix)
