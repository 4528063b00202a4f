"""The municipality's and its environment office's names in the language of the page: Japan Post's
spelling and ENVIRONMENT_OFFICE_NAME in Japanese, the configured English names (MUNICIPALITY_NAME_EN,
MUNICIPALITY_PREFECTURE_EN, ENVIRONMENT_OFFICE_NAME_EN) otherwise. Every text that names the office
takes it from office_name() (templates: OFFICE_NAME, or {% office_name %} without a request)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def _japanese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("ja")


def city_name() -> str:
    return settings.MUNICIPALITY_CITY if _japanese() else settings.MUNICIPALITY_NAME_EN


def prefecture_name() -> str:
    return settings.MUNICIPALITY_PREFECTURE if _japanese() else settings.MUNICIPALITY_PREFECTURE_EN


def office_name() -> str:
    """The environment office as residents see it wherever a staff member acts and in every text
    that names it (ENVIRONMENT_OFFICE_NAME, e.g. the ward's environment section)."""
    return settings.ENVIRONMENT_OFFICE_NAME if _japanese() else settings.ENVIRONMENT_OFFICE_NAME_EN


def office_desk_name() -> str:
    """The postcard desk account's name, shown as the poster of the listings staff register for
    residents who sent a postcard (moderation/assisted.py)."""
    return _("%(office)s (postcard desk)") % {"office": office_name()}


def service_name() -> str:
    """The site's name as its header shows it (e.g. もったいない（港区 不用品交換）), for texts that
    name the service, such as the account emails."""
    return _("Mottainai (%(city)s item exchange)") % {"city": city_name()}
