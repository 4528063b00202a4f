from django.core.management.base import BaseCommand

from listings.services import search_index_rebuild


class Command(BaseCommand):
    help = "Recompute the keyword-search text and n-grams of every listing and rebuild the index."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{search_index_rebuild()} listings indexed.")
