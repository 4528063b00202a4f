from allauth.socialaccount.signals import social_account_added
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class LineoaConfig(AppConfig):
    name = "lineoa"
    verbose_name = _("LINE Official Account")

    def ready(self) -> None:
        from lineoa import receivers  # in ready(): receivers import models, which load after every apps.py

        social_account_added.connect(receivers.link_added_line_login, dispatch_uid="lineoa_link_social_added")
        user_logged_in.connect(receivers.link_on_login, dispatch_uid="lineoa_link_on_login")
