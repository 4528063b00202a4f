"""The unread-message badge on every page (one query for signed-in users)."""

from django.http import HttpRequest

from messaging.selectors import unread_total


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_total": unread_total(user)}
