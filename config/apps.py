from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    default_site = "config.admin.SuperuserAdminSite"

    def ready(self) -> None:
        super().ready()
        # config is no app of its own: its deployment checks and the receivers that carry the
        # request id into tasks are registered by its one AppConfig.
        from config import checks, request_id  # noqa: F401
