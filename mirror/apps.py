from django.apps import AppConfig


class MirrorConfig(AppConfig):
    name = "mirror"
    verbose_name = "Mirror (API, feeds, widget, webhooks)"

    def ready(self) -> None:
        # In ready(): receivers import models, which load after every apps.py. Importing it is
        # what connects the listing signals (@receiver).
        from mirror import receivers  # noqa: F401
