from django import template

from mirror.text import printable as _printable

register = template.Library()


@register.filter
def printable(value) -> str:
    """Drop control characters (mirror.text.printable): the widget is framed by the ward's pages."""
    return _printable(str(value))
