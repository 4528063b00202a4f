from django.apps import AppConfig

from accounts.signals import account_data_requested, account_deleting


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Listings"

    def ready(self) -> None:
        from listings import receivers  # in ready(): receivers import models, which load after every apps.py

        account_deleting.connect(receivers.withdraw_listings_of_deleted_account, dispatch_uid="listings_withdraw_on_delete")
        account_data_requested.connect(receivers.export_listings, dispatch_uid="listings_export")
        account_data_requested.connect(receivers.export_not_interested, dispatch_uid="listings_export_not_interested")
