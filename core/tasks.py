"""Background tasks of core (run by the django-tasks-db worker): sending one email, again later
when the mail server fails."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A failed send is tried again after 1, 4, 16 and 64 minutes, then given up (and logged): long
# enough to ride out a mail server restart, short enough that "it is kept for you" still matters.
MAIL_ATTEMPTS = 5
MAIL_BACKOFF_BASE = timedelta(minutes=1)


def mail_backoff(attempt: int) -> timedelta:
    """How long to wait after the `attempt`-th failed send: 1, 4, 16, 64 minutes."""
    return MAIL_BACKOFF_BASE * 4 ** (attempt - 1)


@task()
def send_email(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None, attempt: int = 1) -> bool:
    """Send one plain-text email to `to`; returns True when the mail server took it. When the
    server fails (any OSError: refused, timed out, SMTP errors), the next attempt is queued and
    False returned; the last attempt's error is raised so the task is recorded as failed."""
    try:
        EmailMessage(subject=subject, body=body, to=[to], headers=headers or {}).send()
    except OSError as error:
        if attempt >= MAIL_ATTEMPTS:
            logger.error("Email given up after %s attempts (%s)", attempt, type(error).__name__)
            raise
        delay = mail_backoff(attempt)
        logger.warning("Sending an email failed (%s, attempt %s); trying again in %s", type(error).__name__, attempt, delay)
        retry = send_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        # A backend that cannot defer (the immediate one of the tests) tries again at once; the
        # attempts are bounded either way.
        retry.enqueue(to=to, subject=subject, body=body, headers=headers, attempt=attempt + 1)
        return False
    return True
