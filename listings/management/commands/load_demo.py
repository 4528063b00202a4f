from django.core.management.base import BaseCommand

from listings.demo import DEMO_PASSWORD, RESIDENTS, STAFF, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load demo accounts and listings with photos (skipped when they are already there)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--listings", type=int, default=240, help="How many listings to create.")

    def handle(self, *args, listings: int, **options) -> None:
        if demo_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            result = load_demo(listings=listings)
            self.stdout.write(f"Demo data loaded: {result['listings']} listings.")
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        self.stdout.write(f"  staff     {STAFF[0]}")
        for email, name, _code in RESIDENTS:
            self.stdout.write(f"  resident  {email}  ({name})")
