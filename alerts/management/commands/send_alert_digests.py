from django.core.management.base import BaseCommand

from alerts.services import digests_send


class Command(BaseCommand):
    help = "Send the daily digest of saved-search alerts (run once a day, e.g. at 7:00 from cron)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{digests_send()} digests sent.")
