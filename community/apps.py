from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community board"

    def ready(self) -> None:
        from accounts.signals import account_data_requested
        from community import receivers

        account_data_requested.connect(receivers.export_board_posts, dispatch_uid="community_export")
