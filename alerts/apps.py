from django.apps import AppConfig

from accounts.signals import account_data_requested, account_deleting


class AlertsConfig(AppConfig):
    """Saved searches and the alerts they send (email, LINE, or a badge on the site)."""

    name = "alerts"
    verbose_name = "Saved searches and alerts"

    def ready(self) -> None:
        # In ready(): receivers import models, which load after every apps.py. Importing it also
        # connects the listing signals it answers with @receiver.
        from alerts import receivers

        account_deleting.connect(receivers.delete_saved_searches_of_deleted_account, dispatch_uid="alerts_delete_on_account_delete")
        account_data_requested.connect(receivers.export_saved_searches, dispatch_uid="alerts_export")
        from alerts.selectors import new_badge_count
        from core import pagecache

        pagecache.resident_state(new_badge_count)  # the header's new-items badge, on residents' cached pages
