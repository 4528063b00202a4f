"""One rendering of a message: the `message` partial of messaging/conversation.html, worded and
marked for one reader. The conversation page renders it for its history; the websocket consumer
renders it for its own user when a message arrives, so that a live message and the same message
after a reload are the same markup."""

from datetime import datetime

from django.template.loader import render_to_string

from accounts.models import User
from listings.models import Listing
from messaging.models import Conversation, Message

MESSAGE_PARTIAL = "messaging/conversation.html#message"


def viewer_context(conversation: Conversation, user: User) -> dict:
    """What the partial needs about the reader: who they are, their side, the other participant
    and how far the other has read (for "Seen"). `conversation` needs listing, owner and requester."""
    listing = conversation.listing
    is_poster = listing.owner_id == user.pk
    other = conversation.requester if is_poster else listing.owner
    other.is_office  # noqa: B018  asked here, in sync code: the consumer renders without queries
    return {
        "user": user,
        "conversation": conversation,
        "is_poster": is_poster,
        "other": other,
        "wanted": listing.kind == Listing.Kind.WANTED,
        "other_read_upto": conversation.read_upto_for(other.pk),
    }


def render_message(message: Message, viewer: dict) -> str:
    """The message's HTML for the reader described by `viewer` (from viewer_context); no query
    when `message.sender` is loaded. User text is escaped by the template."""
    return render_to_string(MESSAGE_PARTIAL, {**viewer, "message": message})


def message_data(message: Message) -> dict:
    """A stored message as plain data for the channel layer, enough to render it again without a
    query. A hidden message carries no text."""
    sender = message.sender
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "kind": message.kind,
        "event": message.event,
        "body": "" if message.hidden_by_staff else message.body,
        "hidden": message.hidden_by_staff,
        "created_at": message.created_at.isoformat(),
        # The name is worded by each reader's page (a deleted account reads "Deleted user" in their language).
        "sender": {"id": sender.pk, "display_name": sender.display_name, "deleted": sender.deleted_at is not None,
                   "office": sender.is_office},
    }


def message_from_data(data: dict) -> Message:
    """The Message (and its sender) that message_data describes; nothing is read or saved."""
    created_at = datetime.fromisoformat(data["created_at"])
    # public_name only asks whether the account is deleted, not when.
    deleted_at = created_at if data["sender"]["deleted"] else None
    sender = User(pk=data["sender"]["id"], display_name=data["sender"]["display_name"], deleted_at=deleted_at)
    sender.is_office = data["sender"].get("office", False)  # staff appear as the office; no query here
    return Message(
        pk=data["id"],
        conversation_id=data["conversation"],
        sender=sender,
        kind=data["kind"],
        event=data["event"],
        body=data["body"],
        hidden_by_staff=data["hidden"],
        created_at=created_at,
    )
