"""The job table of `manage.py run_schedule`: the periodic work of a deployment, in one process.

Each job is a management command, called by name (core imports no app). Daily jobs run at
settings.SCHEDULE_DAILY_AT, local time (TIME_ZONE); a daily job that missed its time (the
scheduler was down, or this is the first start) runs at once. Interval jobs run every `every`.
When each job last ran is kept in the database (core.ScheduledRun), so a restart reruns only
what is due. A job that fails is logged, retried after FAILED_RETRY at the earliest, and never
stops the others.
"""

import io
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from core.models import ScheduledRun

logger = logging.getLogger("core.schedule")

HEARTBEAT = "run_schedule"  # the ScheduledRun row the scheduler touches on every tick and before every job
FAILED_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    command: str
    args: tuple[str, ...] = ()
    every: timedelta | None = None  # None: daily at SCHEDULE_DAILY_AT

    @property
    def schedule(self) -> str:
        if self.every is None:
            hour, minute = settings.SCHEDULE_DAILY_AT
            return f"daily {hour:02d}:{minute:02d}"
        return f"every {int(self.every.total_seconds() // 60)} min"


# Task results and expired sessions are removed by apply_retention, under the periods of
# docs/RETENTION.md; django-tasks-db's prune_db_task_results and Django's clearsessions would do
# the same with other periods, so they are not in the table.
JOBS = [
    Job("expire_listings"),
    # Idempotent: queues the next daily alert digest for the task worker unless one is queued. Each
    # digest queues the next; this puts the chain back if a digest failed or the queue was emptied.
    Job("schedule_alert_digests"),
    Job("apply_retention"),
    Job("mirror_retry_webhooks", every=timedelta(minutes=5)),
]


def last_daily_time(now: datetime) -> datetime:
    """The latest SCHEDULE_DAILY_AT (local time) at or before `now`."""
    hour, minute = settings.SCHEDULE_DAILY_AT
    local = timezone.localtime(now)
    slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return slot if slot <= local else slot - timedelta(days=1)


def _due_before(job: Job, now: datetime) -> datetime:
    """A job is due when it last started before this instant (or never ran)."""
    return now - job.every if job.every else last_daily_time(now)


def is_due(job: Job, run: ScheduledRun | None, now: datetime) -> bool:
    if run is None or run.last_started is None:
        return True
    if run.last_ok is False and run.last_started <= now - FAILED_RETRY:
        return True
    return run.last_started <= _due_before(job, now)


def _claim(job: Job, now: datetime) -> bool:
    """Mark the job started if it is due; False if it is not (or another scheduler took it)."""
    ScheduledRun.objects.get_or_create(name=job.command)
    due = Q(last_started__isnull=True) | Q(last_started__lte=_due_before(job, now))
    due |= Q(last_ok=False, last_started__lte=now - FAILED_RETRY)
    return bool(ScheduledRun.objects.filter(due, name=job.command).update(last_started=now, last_finished=None, last_ok=None))


def beat() -> None:
    """The scheduler is alive (read by `run_schedule --check`)."""
    now = timezone.now()
    ScheduledRun.objects.update_or_create(name=HEARTBEAT, defaults={"last_started": now, "last_finished": now, "last_ok": True})


def run_job(job: Job) -> bool:
    """Run one job now, record the outcome; True when it succeeded. Its output goes to the log."""
    started = time.monotonic()
    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except Exception as exc:  # noqa: BLE001 - a failing job must not stop the others
        logger.exception("scheduled job %s failed after %.1f s", job.command, time.monotonic() - started)
        error, ok = f"{type(exc).__name__}: {exc}"[:200], False
    else:
        logger.info("scheduled job %s done in %.1f s: %s", job.command, time.monotonic() - started,
                    " / ".join(line for line in output.getvalue().splitlines() if line.strip()))
        error, ok = "", True
    ScheduledRun.objects.filter(name=job.command).update(last_finished=timezone.now(), last_ok=ok, last_error=error)
    return ok


def run_due(jobs: list[Job] | None = None) -> dict[str, bool]:
    """Run every job that is due now, one after the other; returns {command: succeeded}."""
    results = {}
    for job in JOBS if jobs is None else jobs:
        beat()
        if _claim(job, timezone.now()):
            results[job.command] = run_job(job)
    beat()
    return results


def heartbeat_age() -> timedelta | None:
    """How long ago the scheduler last showed it was alive; None if it never ran."""
    run = ScheduledRun.objects.filter(name=HEARTBEAT).first()
    return timezone.now() - run.last_started if run and run.last_started else None


def status(jobs: list[Job] | None = None) -> list[dict]:
    """Each job with its schedule and last run, for `run_schedule --list`."""
    now, jobs = timezone.now(), JOBS if jobs is None else jobs
    runs = {run.name: run for run in ScheduledRun.objects.filter(name__in=[job.command for job in jobs])}
    return [
        {"job": job, "run": runs.get(job.command), "due": is_due(job, runs.get(job.command), now)}
        for job in jobs
    ]
