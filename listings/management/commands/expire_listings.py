from django.core.management.base import BaseCommand

from listings.services import listings_expire


class Command(BaseCommand):
    help = "Expire published listings whose listing period has ended (run it daily, e.g. from cron)."

    def handle(self, *args, **options) -> None:
        count = listings_expire()
        self.stdout.write(f"{count} listings expired.")
