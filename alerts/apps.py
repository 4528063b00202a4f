from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Saved searches and the alerts they send (email, LINE, or a badge on the site)."""

    name = "alerts"
    verbose_name = "Saved searches and alerts"

    def ready(self) -> None:
        from alerts import receivers  # noqa: F401  (connects listing signals)
