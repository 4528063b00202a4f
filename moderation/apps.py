from django.apps import AppConfig

from accounts.signals import account_reports_requested
from listings.signals import listing_review_requested


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation import receivers  # in ready(): receivers import models, which load after every apps.py

        account_reports_requested.connect(receivers.reports_of_resident, dispatch_uid="moderation_reports_of_resident")
        listing_review_requested.connect(receivers.ng_words_review_reason, dispatch_uid="moderation_ng_words_review")
