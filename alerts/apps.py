from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Saved searches and the alerts they send (email, LINE, or a badge on the site)."""

    name = "alerts"
    verbose_name = "Saved searches and alerts"

    def ready(self) -> None:
        from accounts.signals import account_data_requested, account_deleting
        from alerts import receivers  # connects listing signals with @receiver

        account_deleting.connect(receivers.delete_saved_searches_of_deleted_account, dispatch_uid="alerts_delete_on_account_delete")
        account_data_requested.connect(receivers.export_saved_searches, dispatch_uid="alerts_export")
