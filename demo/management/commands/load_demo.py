from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from listings.demo import DEMO_PASSWORD, RESIDENTS, STAFF_EMAIL, demo_loaded, load_demo
from demo.board import load_demo_board
from demo.consultations import load_demo_consultations
from messaging.demo import load_demo_conversations


class Command(BaseCommand):
    help = "Load demo accounts, listings with photos, conversations, board threads and consultations (skipped when already there)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--listings", type=int, default=240, help="How many listings to create.")

    def handle(self, *args, listings: int, **options) -> None:
        if not settings.DEBUG:
            # Demo accounts share a published password and two-factor secret (docs/DEPLOY.md).
            raise CommandError(
                "load_demo runs only with DJANGO_DEBUG=1 (as bin/dev sets it): demo accounts have a "
                "published password, so they must never reach a production database."
            )
        if demo_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                result = load_demo(listings=listings)
                conversations = load_demo_conversations(result["residents"])
                threads = load_demo_board(result["residents"], result["staff"])
                answers = load_demo_consultations(result["residents"], result["staff"])
            self.stdout.write(
                f"Demo data loaded: {result['listings']} listings, {conversations} conversations, {threads} board threads, "
                f"2 consultations (one closed, with {answers} answers)."
            )
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        self.stdout.write(f"  staff     {STAFF_EMAIL}")
        for email, name in RESIDENTS:
            self.stdout.write(f"  resident  {email}  ({name})")
