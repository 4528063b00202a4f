"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.selectors import is_staff_member
from core import pagecache
from core.municipality import city_name, office_name, prefecture_name
from core.version import VERSION


def site(request: HttpRequest) -> dict:
    """Municipality and office names (in the page's language), the office's phone, the release
    and limits that templates show."""
    return {
        "MUNICIPALITY_PREFECTURE": prefecture_name(),
        "MUNICIPALITY_CITY": city_name(),
        "OFFICE_NAME": office_name(),
        "OFFICE_PHONE": settings.ENVIRONMENT_OFFICE_PHONE,
        "MOTTAINAI_VERSION": VERSION,
        "user_is_staff": is_staff_member(request.user) if hasattr(request, "user") else False,
        # For {% cache fragment_seconds name ... public_generation %} (core/pagecache.py).
        "public_generation": SimpleLazyObject(pagecache.fragment_generation),
        "fragment_seconds": settings.PAGE_CACHE_SECONDS,
    }
