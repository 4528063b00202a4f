from django.core.management.base import BaseCommand
from django.db import connection

from listings.services import listings_expire


class Command(BaseCommand):
    help = "Expire published listings whose listing period has ended (run it daily, e.g. from cron)."

    def handle(self, *args, **options) -> None:
        count = listings_expire()
        self.stdout.write(f"{count} listings expired.")
        if connection.vendor == "sqlite":
            # SQLite has no autovacuum: without fresh statistics its planner sorts every public
            # listing instead of reading the browse indexes in order (PostgreSQL keeps its own).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
