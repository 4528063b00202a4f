"""The site header's link to saved searches, shown while badge-only searches have new items."""

from django import template

from alerts.selectors import new_badge_total

register = template.Library()


@register.inclusion_tag("alerts/header_link.html", takes_context=True)
def saved_searches_link(context) -> dict:
    """One indexed query for a signed-in resident; none for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"new_total": 0}
    return {"new_total": new_badge_total(user)}
