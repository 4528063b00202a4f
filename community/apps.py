from django.apps import AppConfig

from accounts.signals import account_data_requested, account_deleting


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community board"

    def ready(self) -> None:
        from community import checks, receivers  # noqa: F401  (in ready(): receivers import models, which load after every apps.py)

        account_data_requested.connect(receivers.export_board_posts, dispatch_uid="community_export")
        account_deleting.connect(receivers.detach_posts_of_deleted_account, dispatch_uid="community_detach_on_delete")
        from community.models import Facility, Helpful, Post, Thread
        from core import pagecache

        pagecache.connect(Thread, Post, Helpful, Facility)  # visitors' cached pages show them
