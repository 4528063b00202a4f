from django.apps import AppConfig


class MirrorConfig(AppConfig):
    name = "mirror"
    verbose_name = "Mirror (API, feeds, widget, webhooks)"

    def ready(self) -> None:
        from mirror import receivers  # noqa: F401  (connects the listing signals)
