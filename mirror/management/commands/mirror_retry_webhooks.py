from django.core.management.base import BaseCommand

from mirror.webhooks import webhook_deliveries_retry_due


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery that is due (failed ones whose retry time has come, pending "
        "ones the task queue missed). A safety net for the task queue: run it every few minutes from cron."
    )

    def handle(self, *args, **options) -> None:
        count = webhook_deliveries_retry_due()
        self.stdout.write(f"{count} webhook deliveries attempted.")
