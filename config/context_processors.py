"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from accounts.selectors import is_staff_member


def site(request: HttpRequest) -> dict:
    """Municipality name and limits that templates show."""
    return {
        "MUNICIPALITY_PREFECTURE": settings.MUNICIPALITY_PREFECTURE,
        "MUNICIPALITY_CITY": settings.MUNICIPALITY_CITY,
        "user_is_staff": is_staff_member(request.user) if hasattr(request, "user") else False,
    }
