from django.core.management.base import BaseCommand
from django.db import connection

from listings.reminders import listings_remind_expiry
from listings.services import listings_expire
from listings.uploads import uploads_prune


class Command(BaseCommand):
    help = (
        "Expire published listings whose listing period has ended and remind owners of those that end "
        "within LISTING_EXPIRY_REMINDER_DAYS, and delete photo uploads no listing took (run it daily, e.g. from cron)."
    )

    def handle(self, *args, **options) -> None:
        count = listings_expire()
        self.stdout.write(f"{count} listings expired.")
        reminded = listings_remind_expiry()
        self.stdout.write(f"{reminded} listings reminded of their expiry.")
        pruned = uploads_prune()
        self.stdout.write(f"{pruned} unused photo uploads deleted.")
        if connection.vendor == "sqlite":
            # SQLite has no autovacuum: without fresh statistics its planner sorts every public
            # listing instead of reading the browse indexes in order (PostgreSQL keeps its own).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
