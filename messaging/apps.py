from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from accounts.signals import account_data_requested
        from listings.signals import listing_transitioned
        from messaging import receivers

        listing_transitioned.connect(receivers.close_handover_on_listing_change, dispatch_uid="messaging_listing_changed")
        account_data_requested.connect(receivers.export_messaging, dispatch_uid="messaging_export")
