from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares (text, mail, the audit log, form helpers); it imports no app."""

    name = "core"
    verbose_name = "Core"
