from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save


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
        from django.contrib.auth.models import Group

        from accounts.models import User
        from accounts.receivers import staff_ids_forget

        # Granting or taking the staff role (a group, a permission, the superuser flag) must show
        # at once: residents see a staff account as the office (User.public_name).
        post_save.connect(staff_ids_forget, sender=User, dispatch_uid="accounts_staff_ids_user")
        from accounts.models import Town
        from accounts.receivers import public_name_changed
        from core import pagecache

        pagecache.connect(Town)  # visitors' cached pages show towns and display names
        post_save.connect(public_name_changed, sender=User, dispatch_uid="accounts_pagecache_user")
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(staff_ids_forget, sender=through, dispatch_uid=f"accounts_staff_ids_{through._meta.label}")
