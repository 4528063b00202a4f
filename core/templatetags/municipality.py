"""`{% office_name as OFFICE_NAME %}`: the environment office's name in the page's language, for
templates rendered without a request (emails, the 500 page), where no context processor runs."""

from django import template

from core import municipality

register = template.Library()


@register.simple_tag
def office_name() -> str:
    return municipality.office_name()
