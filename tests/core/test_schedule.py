"""`manage.py run_schedule`: the periodic jobs of a deployment, from one table (core/schedule.py).

The suite's clock starts at 2030-06-12 10:00 in Tokyo (tests/conftest.py); the tests move it to
explicit instants, so none depends on the real date."""

import logging
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from config.env import env_time
from core.models import ScheduledRun

TOKYO = ZoneInfo("Asia/Tokyo")
DAILY = ["expire_listings", "schedule_alert_digests", "apply_retention"]
ALL = [*DAILY, "mirror_retry_webhooks"]

pytestmark = pytest.mark.django_db


def once() -> list[str]:
    """Run what is due, as cron or a systemd timer would; the lines the operator reads."""
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out)
    return out.getvalue().splitlines()


def ran(lines: list[str]) -> list[str]:
    return [line.split(":")[0] for line in lines if line.endswith(": ok")]


@pytest.fixture(autouse=True)
def _daily_at_half_past_three(settings):
    settings.SCHEDULE_DAILY_AT = (3, 30)


def test_a_first_start_runs_every_job_and_a_restart_runs_none_again(clock):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    assert once() == [f"{job}: ok" for job in ALL]
    clock.move_to(datetime(2030, 6, 12, 10, 1, tzinfo=TOKYO))
    assert once() == ["Nothing is due."]
    assert set(ScheduledRun.objects.filter(last_ok=True).values_list("name", flat=True)) == {*ALL, "run_schedule"}


def test_daily_jobs_run_again_at_the_configured_local_time(clock):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    once()
    clock.move_to(datetime(2030, 6, 13, 3, 29, tzinfo=TOKYO))
    assert ran(once()) == ["mirror_retry_webhooks"]  # before 03:30: only the five-minute job
    clock.move_to(datetime(2030, 6, 13, 3, 30, tzinfo=TOKYO))
    assert ran(once()) == DAILY
    clock.move_to(datetime(2030, 6, 13, 23, 59, tzinfo=TOKYO))
    assert ran(once()) == ["mirror_retry_webhooks"]


def test_a_scheduler_that_was_down_at_the_daily_time_catches_up_at_start(clock):
    clock.move_to(datetime(2030, 6, 12, 2, 0, tzinfo=TOKYO))
    once()
    clock.move_to(datetime(2030, 6, 12, 9, 0, tzinfo=TOKYO))  # down from 02:00 to 09:00: 03:30 was missed
    assert ran(once()) == ALL


def test_the_webhook_safety_net_runs_every_five_minutes(clock):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    once()
    clock.move_to(datetime(2030, 6, 12, 10, 4, 30, tzinfo=TOKYO))
    assert once() == ["Nothing is due."]
    clock.move_to(datetime(2030, 6, 12, 10, 5, 1, tzinfo=TOKYO))
    assert once() == ["mirror_retry_webhooks: ok"]


def test_a_failing_job_is_logged_and_the_others_still_run(clock, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database full")

    monkeypatch.setattr("listings.management.commands.expire_listings.listings_expire", broken)
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="core.schedule"), pytest.raises(CommandError, match="Failed: expire_listings"):
        call_command("run_schedule", "--once", stdout=out)
    assert out.getvalue().splitlines() == [
        "expire_listings: failed (see the log)", "schedule_alert_digests: ok", "apply_retention: ok", "mirror_retry_webhooks: ok",
    ]
    [failure] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert failure.getMessage().startswith("scheduled job expire_listings failed") and "database full" in caplog.text
    assert ScheduledRun.objects.get(name="expire_listings").last_error == "RuntimeError: database full"

    # Retried an hour later (not on every tick), and once it works it waits for the next day.
    monkeypatch.undo()
    clock.move_to(datetime(2030, 6, 12, 10, 30, tzinfo=TOKYO))
    assert "expire_listings: ok" not in once()
    clock.move_to(datetime(2030, 6, 12, 11, 1, tzinfo=TOKYO))
    assert ran(once()) == ["expire_listings", "mirror_retry_webhooks"]
    clock.move_to(datetime(2030, 6, 12, 12, 2, tzinfo=TOKYO))
    assert ran(once()) == ["mirror_retry_webhooks"]


def test_the_list_shows_each_job_its_schedule_and_last_run(clock, monkeypatch):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    monkeypatch.setattr("mirror.management.commands.mirror_retry_webhooks.webhook_deliveries_retry_due",
                        lambda: 1 / 0)
    with pytest.raises(CommandError):
        once()
    out = StringIO()
    call_command("run_schedule", "--list", stdout=out)
    assert out.getvalue().splitlines() == [
        "expire_listings: daily 03:30; last 2030-06-12 10:00 ok",
        "schedule_alert_digests: daily 03:30; last 2030-06-12 10:00 ok",
        "apply_retention: daily 03:30; last 2030-06-12 10:00 ok",
        "mirror_retry_webhooks: every 5 min; last 2030-06-12 10:00 failed (ZeroDivisionError: division by zero)",
    ]
    clock.move_to(datetime(2030, 6, 13, 3, 30, tzinfo=TOKYO))
    out = StringIO()
    call_command("run_schedule", "--list", stdout=out)
    assert all(line.endswith(", due") for line in out.getvalue().splitlines())


def test_the_health_check_fails_until_the_scheduler_runs_and_when_it_stops(clock):
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    with pytest.raises(CommandError, match="never run"):
        call_command("run_schedule", "--check")
    once()
    out = StringIO()
    call_command("run_schedule", "--check", stdout=out)
    assert out.getvalue().startswith("The scheduler was last seen 0 s ago.")
    clock.move_to(datetime(2030, 6, 12, 10, 16, tzinfo=TOKYO))
    with pytest.raises(CommandError, match=r"last seen 9[56][0-9] s ago"):
        call_command("run_schedule", "--check")
    call_command("run_schedule", "--check", "--max-age", "1200", stdout=StringIO())


def test_the_daily_digest_chain_is_put_back_after_a_digest_failed(clock, settings):
    """Each digest queues the next one; a failed digest ends that chain, and the scheduler's
    daily schedule_alert_digests starts it again, so the next morning's digest still goes out."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ALERTS_DIGEST_HOUR = 7
    clock.move_to(datetime(2030, 6, 12, 10, 0, tzinfo=TOKYO))
    once()
    queued = DBTaskResult.objects.get(task_path="alerts.tasks.send_digests", status="READY")
    assert queued.run_after == datetime(2030, 6, 13, 7, 0, tzinfo=TOKYO)
    DBTaskResult.objects.filter(pk=queued.pk).update(status="FAILED")  # as if the worker failed it

    clock.move_to(datetime(2030, 6, 13, 3, 30, tzinfo=TOKYO))
    once()
    requeued = DBTaskResult.objects.get(task_path="alerts.tasks.send_digests", status="READY")
    assert requeued.run_after == datetime(2030, 6, 13, 7, 0, tzinfo=TOKYO)


@pytest.mark.parametrize(("raw", "expected"), [("03:30", (3, 30)), ("0:05", (0, 5)), ("23:59", (23, 59)), ("", (3, 30))])
def test_the_daily_time_is_read_as_hours_and_minutes(monkeypatch, raw, expected):
    monkeypatch.setenv("SCHEDULE_DAILY_AT", raw)
    assert env_time("SCHEDULE_DAILY_AT", "03:30") == expected


@pytest.mark.parametrize("raw", ["24:00", "3", "3:5", "03:60", "half past three", "-1:30"])
def test_a_daily_time_that_is_not_a_time_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("SCHEDULE_DAILY_AT", raw)
    with pytest.raises(ImproperlyConfigured, match="SCHEDULE_DAILY_AT must be a time of day"):
        env_time("SCHEDULE_DAILY_AT", "03:30")


def test_every_job_in_the_table_is_a_management_command():
    from django.core.management import get_commands

    from core.schedule import JOBS

    assert [job.command for job in JOBS] == ALL
    assert {job.command for job in JOBS} <= get_commands().keys()

