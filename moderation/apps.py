from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from listings.signals import listing_review_requested
        from moderation import receivers

        listing_review_requested.connect(receivers.ng_words_review_reason, dispatch_uid="moderation_ng_words_review")
