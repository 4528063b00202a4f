"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from accounts.selectors import is_staff_member
from core.municipality import city_name, prefecture_name
from core.version import VERSION


def site(request: HttpRequest) -> dict:
    """Municipality name (in the page's language), the release and limits that templates show."""
    return {
        "MUNICIPALITY_PREFECTURE": prefecture_name(),
        "MUNICIPALITY_CITY": city_name(),
        "MOTTAINAI_VERSION": VERSION,
        "user_is_staff": is_staff_member(request.user) if hasattr(request, "user") else False,
    }
