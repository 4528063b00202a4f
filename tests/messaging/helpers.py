"""Small helpers for the messaging tests."""

from django.test import Client

from messaging.models import Conversation


def event_codes(conversation: Conversation) -> list[str]:
    """The codes of the conversation's event lines, oldest first."""
    return list(conversation.messages.filter(kind="event").values_list("event", flat=True))


def in_english(client: Client) -> Client:
    """The client, reading the pages in English from now on (the assertions quote the English source)."""
    client.cookies["django_language"] = "en"
    return client
