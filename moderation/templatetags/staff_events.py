"""`{% event_line message conversation %}`: a conversation's event line as staff read it, a neutral
sentence naming the participants (messaging.event_wording), not the residents' "you" wording."""

from django import template

from messaging.event_wording import event_line_neutral

register = template.Library()


@register.simple_tag
def event_line(message, conversation) -> str:
    """Escaped by the template like any simple tag's output (names and thanks are residents' text)."""
    return event_line_neutral(message, conversation)
