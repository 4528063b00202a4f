"""Background tasks of core (run by the django-tasks-db worker): sending one email, again later
when the mail server fails, and a FailedNotice row for staff when it is given up."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from core.models import FailedNotice

logger = logging.getLogger(__name__)

# A failed send is tried again after 1, 4, 16 and 64 minutes, then given up (and logged): long
# enough to ride out a mail server restart, short enough that "it is kept for you" still matters.
MAIL_ATTEMPTS = 5
MAIL_BACKOFF_BASE = timedelta(minutes=1)


def mail_backoff(attempt: int) -> timedelta:
    """How long to wait after the `attempt`-th failed send: 1, 4, 16, 64 minutes."""
    return MAIL_BACKOFF_BASE * 4 ** (attempt - 1)


def address_mask(address: str) -> str:
    """An address as staff may see it in the failure list: "alice@example.com" → "a***@example.com"."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def _give_up(*, to: str, kind: str, reason: str, error: Exception, attempt: int) -> None:
    logger.error("Email given up", extra={"attempts": attempt, "error": type(error).__name__, "kind": kind})
    FailedNotice.objects.create(
        recipient=address_mask(to), kind=kind[:100], reason=reason, error=type(error).__name__[:100], attempts=attempt
    )


@task()
def send_email(
    *, to: str, subject: str, body: str, headers: dict[str, str] | None = None, kind: str = "", attempt: int = 1
) -> bool:
    """Send one plain-text email to `to` (`kind` names it for the failure list: its template);
    returns True when the mail server took it. When the server fails (any OSError: refused, timed
    out, SMTP errors), the next attempt is queued and False returned. The last attempt's error,
    and a message that cannot be written at all (a header with a line break), are recorded as a
    FailedNotice for staff and raised so the task is recorded as failed."""
    email = EmailMessage(subject=subject, body=body, to=[to], headers=headers or {})
    try:
        # Written before the backend opens anything: a message that cannot be written leaves no
        # empty file behind (the development file backend) and is not tried again.
        email.message()
    except (ValueError, TypeError) as error:
        _give_up(to=to, kind=kind, reason=FailedNotice.Reason.MESSAGE, error=error, attempt=attempt)
        raise
    try:
        email.send()
    except OSError as error:
        if attempt >= MAIL_ATTEMPTS:
            _give_up(to=to, kind=kind, reason=FailedNotice.Reason.SERVER, error=error, attempt=attempt)
            raise
        delay = mail_backoff(attempt)
        logger.warning(
            "Sending an email failed; trying again",
            extra={"error": type(error).__name__, "attempt": attempt, "retry_in_s": int(delay.total_seconds()), "kind": kind},
        )
        retry = send_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        # A backend that cannot defer (the immediate one of the tests) tries again at once; the
        # attempts are bounded either way.
        retry.enqueue(to=to, subject=subject, body=body, headers=headers, kind=kind, attempt=attempt + 1)
        return False
    return True
