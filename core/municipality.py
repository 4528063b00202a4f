"""The municipality's name in the language of the page: Japan Post's spelling in Japanese, the
configured English name (MUNICIPALITY_NAME_EN, MUNICIPALITY_PREFECTURE_EN) otherwise."""

from django.conf import settings
from django.utils import translation


def _japanese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("ja")


def city_name() -> str:
    return settings.MUNICIPALITY_CITY if _japanese() else settings.MUNICIPALITY_NAME_EN


def prefecture_name() -> str:
    return settings.MUNICIPALITY_PREFECTURE if _japanese() else settings.MUNICIPALITY_PREFECTURE_EN


def office_name() -> str:
    """The environment office as residents see it wherever a staff member acts (環境推進課)."""
    return settings.ENVIRONMENT_OFFICE_NAME if _japanese() else settings.ENVIRONMENT_OFFICE_NAME_EN
