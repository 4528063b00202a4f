"""Retention (docs/RETENTION.md): `manage.py apply_retention` removes each kind of data once it is
older than its period and keeps it until then; reported messages stay until staff handle the
report; a dry run removes nothing; a second run finds nothing more."""

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from alerts.tasks import send_digests
from config.retention import retention_days
from core.audit import audit_record
from core.models import AuditRecord, FailedNotice
from core.tasks import send_email
from listings.lifecycle import Action
from listings.models import Photo
from listings.services import listing_transition
from messaging.models import Message, MessageReport
from messaging.services.conversations import conversation_start, message_report, message_send
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from tests.factories import make_listing
from tests.mirror.conftest import deliver, endpoint, receiver  # noqa: F401  (the webhook fixtures)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def retention(*args: str) -> dict[str, str]:
    """Run the command; returns its report, kind -> what it says ("removed 2", "kept forever")."""
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return dict(line.split(": ", 1) for line in out.getvalue().splitlines())


def test_finished_task_results_are_removed_after_14_days(settings, clock):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_digests.enqueue()
    # What the worker does with a task, in this process (db_worker would close the test's connection).
    result = DBTaskResult.objects.get()
    result.claim("test-worker")
    result.set_successful(send_digests.call())
    # send_digests queued tomorrow's digest: waiting for the worker, it is never removed

    clock.shift(13 * DAY)
    assert retention()["task results"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["task results"] == "removed 1"
    assert list(DBTaskResult.objects.values_list("task_path", "status")) == [("alerts.tasks.send_digests", "READY")]


def test_ended_webhook_deliveries_are_removed_after_90_days_and_each_listing_keeps_its_latest_event(
    alice, endpoint, receiver, deliver, clock  # noqa: F811
):
    with deliver():
        listing = make_listing(alice)
    with deliver():
        listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["succeeded", "succeeded"]
    assert WebhookAttempt.objects.count() == 2

    clock.shift(89 * DAY)
    assert retention()["webhook deliveries"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["webhook deliveries"] == "removed 2"
    assert not WebhookAttempt.objects.exists()
    [kept] = WebhookEvent.objects.all()  # the latest, so the next event of the listing is number 3
    assert (kept.type, kept.sequence) == ("listing.withdrawn", 2)


def test_expired_sessions_are_removed(alice_client, clock):
    alice_client.get("/")
    assert Session.objects.count() == 1

    clock.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE) - DAY)
    assert retention()["expired sessions"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["expired sessions"] == "removed 1"
    assert not Session.objects.exists()


def test_failed_email_records_are_removed_after_180_days(clock):
    send_email.enqueue(to="alice@example.com", subject="Sofa\nBcc: x@example.com", body="本文", kind="messaging/email/chosen")
    assert FailedNotice.objects.count() == 1

    clock.shift(179 * DAY)
    assert retention()["failed email records"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["failed email records"] == "removed 1"
    assert not FailedNotice.objects.exists()


def test_photos_of_listings_closed_180_days_ago_are_deleted_with_their_files(alice, clock, django_capture_on_commit_callbacks):
    closed = make_listing(alice, photos=2)
    open_listing = make_listing(alice, photos=1)
    files = [name for photo in closed.photos.all() for name in (photo.image.name, photo.thumbnail.name)]
    listing_transition(listing=closed, action=Action.WITHDRAW, actor=alice)

    clock.shift(179 * DAY)
    assert retention()["photos of closed listings"] == "removed 0"
    clock.shift(2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention()["photos of closed listings"] == "removed 2"

    closed.refresh_from_db()
    assert closed.photo_count == 0 and not closed.photos.exists()
    assert not any(default_storage.exists(name) for name in files)
    assert list(Photo.objects.values_list("listing", flat=True)) == [open_listing.pk]


def test_messages_of_listings_closed_two_years_ago_are_deleted_but_a_reported_one_waits_for_staff(
    alice, bob, staff, clock
):
    listing = make_listing(alice)
    conversation = conversation_start(listing=listing, requester=bob, body="まだありますか")
    rude = message_send(conversation=conversation, sender=alice, body="失礼な返事", broadcast=False)
    message_report(message=rude, reporter=bob, reason="harassment")
    listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)  # adds a "withdrawn" event message
    other = conversation_start(listing=make_listing(alice), requester=bob, body="open listing")  # still open: kept
    assert conversation.messages.count() == 3

    clock.shift(729 * DAY)
    assert retention()["messages of closed listings"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["messages of closed listings"] == "removed 2"
    assert list(Message.objects.filter(conversation=conversation)) == [rude]
    assert other.messages.count() == 1

    MessageReport.objects.filter(message=rude).resolve(actor=staff)
    assert retention()["messages of closed listings"] == "removed 1"
    assert not Message.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()  # the conversation itself stays


def test_audit_records_are_removed_after_five_years_and_only_by_retention(staff, clock):
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="spam")
    with pytest.raises(ValidationError):
        AuditRecord.objects.all().delete()

    clock.shift(1826 * DAY)
    assert retention()["audit records"] == "removed 0"
    clock.shift(2 * DAY)
    assert retention()["audit records"] == "removed 1"
    assert not AuditRecord.objects.exists()


def test_each_period_is_read_from_its_variable_and_nonsense_stops_start_up(monkeypatch):
    monkeypatch.setenv("RETENTION_CLOSED_CONVERSATION_MESSAGES_DAYS", "365")
    assert retention_days()["closed_conversation_messages"] == 365
    monkeypatch.setenv("RETENTION_AUDIT_LOG_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="RETENTION_AUDIT_LOG_DAYS"):
        retention_days()


def test_a_period_of_0_keeps_that_kind_forever(settings, staff, clock):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "audit_log": 0}
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="spam")
    clock.shift(3650 * DAY)
    assert retention()["audit records"] == "kept forever"
    assert AuditRecord.objects.count() == 1


def test_a_dry_run_removes_nothing_and_a_second_run_finds_nothing_more(alice, bob, staff, clock):
    listing = make_listing(alice, photos=1)
    conversation_start(listing=listing, requester=bob, body="まだありますか")
    listing_transition(listing=listing, action=Action.WITHDRAW, actor=alice)
    audit_record(actor=staff, action=AuditRecord.Action.NG_WORD_ADD, reason="spam")
    clock.shift(2000 * DAY)

    report = retention("--dry-run")
    assert report["photos of closed listings"] == "would remove 1"
    assert report["messages of closed listings"] == "would remove 2"  # the question and the "withdrawn" event
    assert report["audit records"] == "would remove 1"
    assert (Photo.objects.count(), Message.objects.count(), AuditRecord.objects.count()) == (1, 2, 1)

    out = io.StringIO()
    call_command("apply_retention", verbosity=0, stdout=out)
    assert out.getvalue() == ""  # -v 0, for a frequent cron loop: quiet
    assert not AuditRecord.objects.exists()
    assert set(retention().values()) == {"removed 0"}
