from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `bin/dev`: it may import every app, so no other app has to."""

    name = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from demo import checks  # noqa: F401  registers the demo-accounts deployment check
