"""An email that cannot go out is never lost without a trace: it leaves no empty mail file, and
when it is given up staff see it counted and listed on the console's home page (masked address,
never the text)."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.tasks.backends.dummy import DummyBackend
from django.urls import reverse
from django.utils import timezone

from core.mail import email_send, email_send_text
from core.models import FailedNotice
from core.tasks import MAIL_ATTEMPTS, address_mask, send_email
from listings.models import Listing
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(monkeypatch):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


@pytest.fixture
def mail_files(settings, tmp_path):
    """The development mail setting: every email written to a file under tmp_path."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": tmp_path}}}
    return tmp_path


def test_the_file_backend_writes_an_email_that_can_be_written(mail_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send_text(to="alice@example.com", subject="Sofa\nBcc: victim@example.com", body="本文")

    [written] = mail_files.iterdir()
    content = written.read_bytes()
    assert b"Subject: [Mottainai] Sofa Bcc: victim@example.com" in content
    assert b"\nBcc:" not in content
    assert not FailedNotice.objects.exists()


def test_an_email_that_cannot_be_written_leaves_no_empty_file_and_is_recorded_for_staff(mail_files):
    # A caller that skipped core.mail's one_line: the header would split, so nothing is written.
    result = send_email.enqueue(to="alice@example.com", subject="Sofa\nBcc: victim@example.com", body="本文", kind="messaging/email/chosen")

    assert result.status == "FAILED"
    assert list(mail_files.iterdir()) == []
    [failed] = FailedNotice.objects.all()
    assert (failed.recipient, failed.kind, failed.reason, failed.error, failed.attempts) == (
        "a***@example.com", "messaging/email/chosen", FailedNotice.Reason.MESSAGE, "ValueError", 1
    )


def test_an_email_given_up_after_the_last_attempt_is_recorded_without_its_text(mail_server_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="alice@example.com", template="moderation/email/listing_hidden",
                   context={"listing": {"title": "秘密の本棚"}, "reason": "理由", "url": "https://example.com/"})

    [failed] = FailedNotice.objects.all()
    assert (failed.recipient, failed.kind, failed.reason, failed.error, failed.attempts) == (
        "a***@example.com", "moderation/email/listing_hidden", FailedNotice.Reason.SERVER, "SMTPServerDisconnected", MAIL_ATTEMPTS
    )
    assert "秘密" not in str(failed.__dict__) and "alice" not in str(failed.__dict__)


def test_a_retry_that_succeeds_records_nothing(monkeypatch, django_capture_on_commit_callbacks):
    tries = []
    original = EmailBackend.send_messages

    def flaky(self, messages):
        tries.append(1)
        if len(tries) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        email_send_text(to="alice@example.com", subject="件名", body="本文")

    assert len(tries) == 2 and not FailedNotice.objects.exists()


def test_staff_see_the_count_and_the_recent_failed_emails_on_the_console(
    alice, staff_client, mail_server_down, django_capture_on_commit_callbacks
):
    listing = make_listing(alice, title="本棚")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("moderation:report_act", args=["listing", listing.pk, "hide"]), {"reason": "理由"})
    assert response.status_code == 302  # the mail server being down does not fail the action

    page = staff_client.get(reverse("moderation:home")).content.decode()

    assert "1</span> 件のメールを送信できませんでした（過去30日間）" in page
    assert "送信できなかったメール" in page
    assert "出品の非表示" in page and "メールサーバーが受け付けませんでした" in page
    assert address_mask(alice.email) in page and alice.email not in page


def test_the_console_says_when_no_email_failed(staff_client):
    page = staff_client.get(reverse("moderation:home")).content.decode()

    assert "0</span> 件のメールを送信できませんでした" in page
    assert "過去30日間に送信できなかったメールはありません。" in page


def test_old_failures_leave_the_count(staff_client):
    FailedNotice.objects.create(recipient="a***@example.com", kind="alerts/notice", reason="server", error="OSError", attempts=5)
    FailedNotice.objects.update(created_at=timezone.now() - timedelta(days=31))

    page = staff_client.get(reverse("moderation:home")).content.decode()

    assert "0</span> 件のメールを送信できませんでした" in page


@pytest.mark.parametrize("address,masked", [("alice@example.com", "a***@example.com"), ("x@y.jp", "x***@y.jp"), ("broken", "***")])
def test_addresses_are_masked(address, masked):
    assert address_mask(address) == masked


class BrokenQueue(DummyBackend):
    """A task queue that cannot take the email (its database unreachable, say)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unreachable")


def test_a_task_queue_that_fails_after_the_commit_does_not_fail_the_staff_action(
    alice, staff_client, settings, django_capture_on_commit_callbacks
):
    listing = make_listing(alice, title="本棚")
    settings.TASKS = {"default": {"BACKEND": "tests.core.test_failed_notices.BrokenQueue"}}

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("moderation:report_act", args=["listing", listing.pk, "hide"]), {"reason": "理由"})

    assert response.status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.HIDDEN


def test_a_task_queue_that_fails_after_the_commit_does_not_fail_a_reservation(
    alice, alice_client, bob, settings, django_capture_on_commit_callbacks
):
    from messaging.services.conversations import conversation_start

    listing = make_listing(alice, title="本棚")
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    settings.TASKS = {"default": {"BACKEND": "tests.core.test_failed_notices.BrokenQueue"}}

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"]))

    assert response.status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.RESERVED
