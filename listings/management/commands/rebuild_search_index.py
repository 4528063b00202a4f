from django.core.management.base import BaseCommand

from listings.models import Listing
from listings.services import search_index_rebuild
from listings.signals import search_index_rebuilt


class Command(BaseCommand):
    help = (
        "Recompute the keyword-search text and n-grams of every listing and rebuild the index; "
        "saved searches' terms are normalised again too."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{search_index_rebuild()} listings indexed.")
        for _receiver, (what, count) in search_index_rebuilt.send(sender=Listing):
            self.stdout.write(f"{count} {what} normalised again.")
