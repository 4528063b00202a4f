from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _site_sync(*, using: str = "default", **kwargs) -> None:
    from accounts.services import site_sync  # not at the top: apps.py loads before the models

    site_sync(using=using)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # SITE_URL may change after the first migrate (a new host name): every deploy and bin/dev
        # runs migrate, so the Site row that allauth's emails read follows it. Not in ready()
        # itself, which must not touch the database.
        post_migrate.connect(_site_sync, sender=self, dispatch_uid="accounts_site_sync")
