"""Remove what has been kept past its period (docs/RETENTION.md); run it daily."""

from django.core.management.base import BaseCommand

from moderation.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention rules: remove old task results, webhook deliveries, sessions, records and messages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; remove nothing.")

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        verb = "would remove" if dry_run else "removed"
        for label, count in retention_apply(dry_run=dry_run).items():
            if verbosity:
                self.stdout.write(f"{label}: kept forever" if count is None else f"{label}: {verb} {count}")
