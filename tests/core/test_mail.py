"""Email goes out by a task, after commit, with retries; a title with a line break in it neither
loses the email nor adds a header to it."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import email_send_text, one_line
from core.tasks import MAIL_ATTEMPTS, mail_backoff, send_email
from listings.models import Listing
from messaging.services.conversations import conversation_start
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "Sofa\nBcc: victim@example.com"


@pytest.fixture
def flaky_mail_server(monkeypatch):
    """The mail server drops the connection for the first `failures` sends, then works."""

    class Server:
        failures = 0
        tries = 0

    def send_messages(self, messages):
        Server.tries += 1
        if Server.tries <= Server.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    original = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return Server


def _assert_one_clean_email_to(address: str) -> None:
    [email] = mail.outbox
    assert email.recipients() == [address]
    assert "\n" not in email.subject and "\r" not in email.subject
    assert "Sofa Bcc: victim@example.com" in email.subject
    message = email.message()
    assert message["Bcc"] is None and "victim" not in message["To"]


def test_a_title_with_a_line_break_is_hidden_by_staff_and_the_poster_emailed_on_one_subject_line(
    alice, bob_client, staff_client, django_capture_on_commit_callbacks
):
    listing = make_listing(alice, title="Sofa")
    Listing.objects.filter(pk=listing.pk).update(title=HOSTILE_TITLE)  # e.g. a row from before forms cleaned titles
    bob_client.post(reverse("listings:report", args=[listing.pk]), {"reason": "scam"})

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("moderation:report_act", args=["listing", listing.pk, "hide"]), {"reason": "理由"})

    assert response.status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.HIDDEN
    _assert_one_clean_email_to(alice.email)


def test_a_title_with_a_line_break_is_reserved_and_the_requester_emailed_on_one_subject_line(
    alice, alice_client, bob, django_capture_on_commit_callbacks
):
    listing = make_listing(alice, title="Sofa")
    Listing.objects.filter(pk=listing.pk).update(title=HOSTILE_TITLE)
    conversation = conversation_start(listing=Listing.objects.get(pk=listing.pk), requester=bob, body="ください")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"]))

    assert response.status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.RESERVED
    _assert_one_clean_email_to(bob.email)


def test_a_send_the_mail_server_drops_is_tried_again_and_delivered(flaky_mail_server, django_capture_on_commit_callbacks):
    flaky_mail_server.failures = 2

    with django_capture_on_commit_callbacks(execute=True):
        email_send_text(to="alice@example.com", subject="件名", body="本文")

    assert flaky_mail_server.tries == 3
    [email] = mail.outbox
    assert (email.to, email.subject, email.body) == (["alice@example.com"], "[Mottainai] 件名", "本文")


def test_a_mail_server_that_stays_down_is_given_up_after_the_last_attempt(flaky_mail_server, django_capture_on_commit_callbacks, caplog):
    flaky_mail_server.failures = MAIL_ATTEMPTS + 1

    with django_capture_on_commit_callbacks(execute=True):
        email_send_text(to="alice@example.com", subject="件名", body="本文")

    assert flaky_mail_server.tries == MAIL_ATTEMPTS  # bounded: no endless loop
    assert mail.outbox == []
    [given_up] = [record for record in caplog.records if record.getMessage() == "Email given up"]
    assert (given_up.attempts, given_up.error) == (5, "SMTPServerDisconnected")


def test_with_a_worker_each_retry_waits_longer(settings, flaky_mail_server):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    flaky_mail_server.failures = 1

    before = timezone.now()
    assert send_email.call(to="alice@example.com", subject="件名", body="本文", attempt=2) is False

    [retry] = send_email.get_backend().results
    assert retry.kwargs == {"to": "alice@example.com", "subject": "件名", "body": "本文", "headers": None, "kind": "", "attempt": 3}
    assert before + mail_backoff(2) <= retry.task.run_after <= timezone.now() + mail_backoff(2)
    assert [mail_backoff(n).total_seconds() / 60 for n in range(1, MAIL_ATTEMPTS)] == [1, 4, 16, 64]


def test_nothing_is_sent_for_an_action_that_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            email_send_text(to="alice@example.com", subject="件名", body="本文")
            raise RuntimeError

    assert mail.outbox == []


def test_a_display_name_with_a_line_break_still_gets_the_unread_email_out_on_one_line(
    alice, bob, clock, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from accounts.models import User
    from messaging.services.conversations import unread_email_send

    User.objects.filter(pk=bob.pk).update(display_name=HOSTILE_TITLE)  # a name saved before forms refused line breaks
    conversation = conversation_start(listing=make_listing(alice, title="本棚"), requester=User.objects.get(pk=bob.pk), body="ください")
    mail.outbox.clear()
    clock.shift(timedelta(minutes=settings.MESSAGING_EMAIL_AFTER_MINUTES + 1))

    with django_capture_on_commit_callbacks(execute=True):
        assert unread_email_send(conversation_id=conversation.pk, user_id=alice.pk)

    _assert_one_clean_email_to(alice.email)


@pytest.mark.parametrize(
    "raw,line",
    [
        ("Sofa\r\nBcc: x@example.com", "Sofa Bcc: x@example.com"),
        ("a\x0bb\x0cc\x85d\u2028e\u2029f", "a b c d e f"),
        ("Free sofa \u202egnp.exe", "Free sofa gnp.exe"),  # a title saved before forms refused it
        ("「本棚」\u2066x\u2069 を譲ります", "「本棚」x を譲ります"),
    ],
)
def test_a_subject_is_always_one_line_without_bidi_overrides(raw, line):
    assert one_line(raw) == line
