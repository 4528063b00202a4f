"""Sign in with LINE links too: a resident's LINE login (allauth provider "line") gives their LINE
user id, which is the Official Account's id for them when the LINE Login channel and the Messaging
API channel belong to one LINE provider (docs/NOTIFICATIONS.md, "LINE")."""

from allauth.socialaccount.models import SocialAccount

from accounts.selectors import is_verified_resident
from lineoa import services
from notifications.models import LineLink
from notifications.selectors import line_configured


def _link_line_login(user) -> None:
    if not line_configured() or not is_verified_resident(user) or LineLink.objects.filter(user=user).exists():
        return
    uid = SocialAccount.objects.filter(user=user, provider="line").order_by("pk").values_list("uid", flat=True).first()
    if uid:
        services.line_link(user=user, line_user_id=uid, how="line_login")


def link_added_line_login(sender, request, sociallogin, **kwargs) -> None:
    if sociallogin.account.provider == "line":
        _link_line_login(sociallogin.user)


def link_on_login(sender, request, user, **kwargs) -> None:
    _link_line_login(user)
