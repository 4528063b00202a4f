from django.core.management.base import BaseCommand

from alerts.services import digests_schedule, next_digest_time


class Command(BaseCommand):
    help = "Queue the daily alert digest for the task worker (once; each run queues the next)."

    def handle(self, *args, **options) -> None:
        if digests_schedule():
            self.stdout.write(f"Daily digest queued for {next_digest_time():%Y-%m-%d %H:%M}.")
        else:
            self.stdout.write("Daily digest already queued.")
