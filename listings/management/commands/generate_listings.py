from django.core.management.base import BaseCommand

from listings.generate import generate


class Command(BaseCommand):
    help = "Insert a realistic data set of listings for benchmarks (default 200,000)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=200_000)
        parser.add_argument("--owners", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count: int, owners: int, seed: int, **options) -> None:
        made = generate(count=count, owners=owners, seed=seed)
        self.stdout.write(f"{made} listings generated.")
