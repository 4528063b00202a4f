from django.apps import AppConfig

from accounts.signals import account_data_requested
from listings.signals import listing_transitioned


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from messaging import receivers  # in ready(): receivers import models, which load after every apps.py

        listing_transitioned.connect(receivers.close_handover_on_listing_change, dispatch_uid="messaging_listing_changed")
        listing_transitioned.connect(receivers.draw_due_lottery, dispatch_uid="messaging_draw_due_lottery")
        account_data_requested.connect(receivers.export_messaging, dispatch_uid="messaging_export")
