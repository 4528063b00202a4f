"""How staff pages name a staff member."""

from django import template

from accounts.models import User

register = template.Library()


@register.filter
def staff_name(user: User | None) -> str:
    """The display name, or else the email: a superuser without a display name would otherwise
    show as 区民 like any resident, and staff pages must say who acted."""
    if user is None:
        return ""
    return user.display_name or user.email
