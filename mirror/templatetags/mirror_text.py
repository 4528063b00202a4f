from django import template

from core.text import controls_clean

register = template.Library()


@register.filter
def printable(value) -> str:
    """Drop control characters (core.text.controls_clean): the widget is framed by the ward's pages."""
    return controls_clean(str(value))
