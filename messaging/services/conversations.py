"""Conversations and messages: start, send, read, report; broadcasts go out on commit."""

from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import is_verified_resident
from core.mail import email_send
from core.ratelimit import Limit, rate_limit
from core.reports import report_rate_limit
from core.text import text_clean
from listings.models import Listing
from messaging import selectors
from messaging.models import Conversation, Message, MessageReport, Presence
from messaging.notices import message_notice, request_notify
from messaging.tasks import notify_message, notify_unread
from notifications.models import Channel
from notifications.services import notice_send
from messaging.rendering import message_data


def conversation_group(conversation_id: int) -> str:
    return f"conversation_{conversation_id}"


def user_group(user_id: int) -> str:
    return f"user_{user_id}"


def message_payload(message: Message) -> dict:
    """A message as JSON for the history endpoint (text only, never HTML)."""
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": message.sender_id,
        "sender_name": message.sender.public_name,
        "kind": message.kind,
        "event": message.event,
        "body": str(_("This message was hidden by staff.")) if message.hidden_by_staff else message.body,
        "hidden": message.hidden_by_staff,
        "created_at": message.created_at.isoformat(),
    }


def _broadcast(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def message_events(message: Message, recipient_id: int) -> list[tuple[str, dict]]:
    """(group, event) pairs that announce a stored message: to the conversation and the recipient's badge."""
    return [
        # Each participant's consumer renders the message for its own reader from this data.
        (conversation_group(message.conversation_id), {"type": "chat.message", "message": message_data(message)}),
        (user_group(recipient_id), {"type": "unread.changed"}),
    ]


def _broadcast_on_commit(events: list[tuple[str, dict]]) -> None:
    def send() -> None:
        for group, event in events:
            _broadcast(group, event)

    transaction.on_commit(send)


def _clean_body(body: str) -> str:
    if "\x00" in (body or ""):
        raise ValidationError(_("The message contains characters that are not allowed."), code="invalid")
    # text_clean: line breaks kept, other control characters and bidi overrides dropped.
    body = text_clean(body)
    if not body:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(body) > settings.MESSAGING_MAX_LENGTH:
        raise ValidationError(
            _("A message can be at most %(limit)s characters (this one has %(length)s).")
            % {"limit": settings.MESSAGING_MAX_LENGTH, "length": len(body)},
            code="too_long",
        )
    return body


def _send_limit() -> Limit:
    """At most MESSAGING_RATE_PER_MINUTE messages per sender a minute (core.ratelimit)."""
    message = _("You are sending messages too quickly. Please wait a minute and try again.")
    return Limit("message", settings.MESSAGING_RATE_PER_MINUTE, timedelta(minutes=1), message)


def _check_send_rate(sender: User) -> None:
    rate_limit(sender.pk, _send_limit())


def _add_message(
    conversation: Conversation,
    sender: User,
    body: str,
    *,
    kind: str = Message.Kind.TEXT,
    event: str = "",
    broadcast: bool = True,
    marks_read: bool = True,
    client_id: str = "",
    notice: bool = True,
) -> Message:
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, kind=kind, event=event, client_id=client_id
    )
    changes = {"last_message_at": message.created_at}
    # Writing in a conversation means having read what came before; an event the sender caused
    # elsewhere (reserving for someone else tells every other requester) does not.
    if marks_read and sender.pk == conversation.requester_id:
        changes["requester_read_upto"] = message.pk
    elif marks_read and sender.pk == conversation.listing.owner_id:
        changes["poster_read_upto"] = message.pk
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    for field, value in changes.items():
        setattr(conversation, field, value)
    recipient_id = conversation.other_participant_id(sender.pk)
    if broadcast:
        _broadcast_on_commit(message_events(message, recipient_id))
    if kind == Message.Kind.TEXT:
        _schedule_unread_email(conversation.pk, recipient_id)
        if notice:  # False: the caller tells the recipient itself (a new request)
            _schedule_message_notice(conversation.pk, recipient_id)
    return message


def conversation_start(*, listing: Listing, requester: User, body: str) -> Conversation:
    """Open (or reopen) the one conversation between this requester and the listing's poster.

    Refused for one's own listing, a listing that is not open for requests, between blocked users
    and past the daily limit of new conversations. An existing conversation is reused.
    """
    if not is_verified_resident(requester):
        raise PermissionDenied
    if listing.owner_id == requester.pk:
        raise ValidationError(_("You cannot ask for your own listing."), code="own_listing")
    if listing.status not in selectors.REQUESTABLE_STATUSES:
        raise ValidationError(_("This listing is no longer open for requests."), code="closed")
    if selectors.is_blocked_between(requester.pk, listing.owner_id):
        raise ValidationError(_("You cannot contact this person."), code="blocked")
    body = _clean_body(body)
    existing = Conversation.objects.filter(listing=listing, requester=requester).first()
    if existing is not None:
        message_send(conversation=existing, sender=requester, body=body)
        return existing
    limit = settings.MESSAGING_NEW_CONVERSATIONS_PER_DAY
    message = _("You can ask about at most %(n)s listings a day.") % {"n": limit}
    rate_limit(requester.pk, Limit("conversation_start", limit, timedelta(days=1), message), _send_limit())
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(listing=listing, requester=requester)
            conversation.listing = listing
            _add_message(conversation, requester, body, notice=False)
            request_notify(conversation, requester)
    except IntegrityError:  # the same person pressed twice at once: use the one that won
        conversation = Conversation.objects.get(listing=listing, requester=requester)
        message_send(conversation=conversation, sender=requester, body=body)
    return conversation


def message_send(
    *, conversation: Conversation, sender: User, body: str, broadcast: bool = True, client_id: str = ""
) -> Message:
    """Store a participant's message, then (on commit) broadcast it. Nothing is stored when refused.

    A consumer passes broadcast=False and broadcasts from its event loop once this returns
    (committed), which spares the database thread a round trip to the channel layer.
    `client_id` (the sending page's id for the message) makes a resend after a dropped connection
    harmless: a message already stored under it is returned, not stored twice (announcing it
    again is harmless: pages skip a message they show already). The unique constraint finds it,
    so a first send costs no extra query.
    """
    if sender.pk not in (conversation.requester_id, conversation.listing.owner_id):
        raise PermissionDenied
    refusal = selectors.write_refusal(conversation, sender)
    if refusal:
        raise ValidationError(refusal, code="closed")
    body = _clean_body(body)
    client_id = _clean_client_id(client_id)
    _check_send_rate(sender)
    try:
        with transaction.atomic():
            return _add_message(conversation, sender, body, broadcast=broadcast, client_id=client_id)
    except IntegrityError:
        existing = Message.objects.filter(conversation=conversation, sender=sender, client_id=client_id).first() if client_id else None
        if existing is None:
            raise
        return existing


def _clean_client_id(client_id) -> str:
    if client_id is None or client_id == "":
        return ""
    if not isinstance(client_id, str) or len(client_id) > Message.CLIENT_ID_LENGTH:
        raise ValidationError(
            _("client_id must be text of at most %(limit)s characters.") % {"limit": Message.CLIENT_ID_LENGTH},
            code="invalid",
        )
    return client_id


def event_add(*, conversation: Conversation, actor: User, event: str, body: str = "", acted_here: bool = False) -> Message:
    """A system line in the conversation (reserved, handed over...); `event` picks its wording.

    `acted_here`: the actor did this in this very conversation (so has read it up to here). Lines
    added to other conversations as a consequence (the others told an item is reserved, a listing
    closed from elsewhere, a lottery drawn by the worker) leave the actor's unread messages unread.
    """
    return _add_message(conversation, actor, body or event, kind=Message.Kind.EVENT, event=event, marks_read=acted_here)


def conversation_mark_read(
    *, conversation: Conversation, user: User, upto: int | None = None, broadcast: bool = True, newest: int = 0
) -> list[tuple[str, dict]]:
    """Mark messages up to `upto` (default: all) read for this participant. Returns the events
    that announce the new mark (none when it did not move), broadcast on commit unless a consumer
    passes broadcast=False to send them from its event loop.

    A mark never moves back, so nothing is read or written when `conversation` already holds one
    as far (its read marks are ones the database had). `newest`: a message id the caller knows is
    in the conversation (the consumer: the newest it has delivered); up to there the mark needs
    no query for the conversation's last message."""
    field = "requester_read_upto" if user.pk == conversation.requester_id else "poster_read_upto"
    if upto is not None and int(upto) <= getattr(conversation, field):
        return []
    if upto is None or int(upto) > newest:
        last = conversation.messages.order_by("-id").values_list("id", flat=True).first() or 0
        upto = last if upto is None else min(int(upto), last)
    upto = int(upto)
    if not Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": upto}).update(**{field: upto}):
        return []
    setattr(conversation, field, upto)
    events = [
        (conversation_group(conversation.pk), {"type": "chat.seen", "user": user.pk, "upto": upto}),
        (user_group(user.pk), {"type": "unread.changed"}),
    ]
    if broadcast:
        _broadcast_on_commit(events)
    return events


def presence_touch(*, user: User) -> None:
    """Remember that the user is online now."""
    if user.is_authenticated:
        Presence.objects.update_or_create(user=user, defaults={"last_seen_at": timezone.now()})


def is_reportable(message: Message) -> bool:
    """Text someone wrote: a message, or the note that came with a thank-you."""
    if message.kind == Message.Kind.TEXT:
        return True
    return message.event == "thanked" and message.body != "thanked"


def message_report(*, message: Message, reporter: User, reason: str, note: str = "") -> MessageReport:
    """A participant reports a message of the other participant; it waits for staff."""
    conversation = message.conversation
    if reporter.pk not in (conversation.requester_id, conversation.listing.owner_id):
        raise PermissionDenied
    if message.sender_id == reporter.pk or not is_reportable(message):
        raise ValidationError(_("You can only report messages the other person wrote."))
    report = MessageReport(message=message, reporter=reporter, reason=reason, note=(note or "").strip())
    report.full_clean(exclude=["message", "reporter"], validate_constraints=False)
    report_rate_limit(reporter)
    report, _created = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": report.reason, "note": report.note}
    )
    return report


# --- Notices of unread messages: push and LINE after a minute, email after a quarter of an hour ---


def _schedule_message_notice(conversation_id: int, recipient_id: int, *, run_after=None, again: bool = False) -> None:
    """Queue the push/LINE check for when a new message has waited MESSAGE_DELAY_SECONDS: one per
    conversation and recipient at a time, not one per message (a burst is one notice anyway, and
    the check looks again later when the newest message is still too fresh). `again`: the check
    itself queues the next one, whatever the guard says."""
    run_after = run_after or timezone.now() + timedelta(seconds=settings.NOTICES["MESSAGE_DELAY_SECONDS"])
    key = f"messaging:notice-check:{conversation_id}:{recipient_id}"

    def enqueue() -> None:
        timeout = max(int((run_after - timezone.now()).total_seconds()), 1)
        if again:
            cache.set(key, 1, timeout=timeout)
        elif not cache.add(key, 1, timeout=timeout):
            return  # a check is already queued
        task = notify_message
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(conversation_id=conversation_id, user_id=recipient_id)

    transaction.on_commit(enqueue, robust=True)  # a notice that cannot be queued must not fail the message


def message_notice_send(*, conversation_id: int, user_id: int, message_id: int = 0, now=None) -> bool:
    """Push (and LINE) the newest message of the other participant its recipient has still not
    read once it has waited MESSAGE_DELAY_SECONDS (the page they have open marks it read as it
    arrives). A burst is one notice: the newest message is told, once (the notice's key); when it
    is still too fresh, the check looks again when it has waited. `message_id`: named by checks
    queued one per message by earlier versions; unused. Email: unread_email_send, later."""
    now = now or timezone.now()
    delay = timedelta(seconds=settings.NOTICES["MESSAGE_DELAY_SECONDS"])
    with transaction.atomic():
        conversation = Conversation.objects.select_related("listing", "listing__owner", "requester").filter(pk=conversation_id).first()
        user = User.objects.filter(pk=user_id).first()
        if conversation is None or user is None:
            return False
        read_upto = conversation.requester_read_upto if user.pk == conversation.requester_id else conversation.poster_read_upto
        newest = conversation.messages.exclude(sender=user).filter(kind=Message.Kind.TEXT).order_by("-id").first()
        if newest is None or read_upto >= newest.pk:
            return False  # they have read it
        if now < newest.created_at + delay:
            if notify_message.get_backend().supports_defer:  # else run early by the backend: the email still tells them
                _schedule_message_notice(conversation.pk, user.pk, run_after=newest.created_at + delay, again=True)
            return False
        notice = message_notice(conversation, newest)
        return bool(notice_send(user=user, notice=notice, only={Channel.PUSH, Channel.LINE}, now=now))


def _schedule_unread_email(conversation_id: int, recipient_id: int, *, run_after=None) -> None:
    """Queue one check per conversation and recipient per waiting period, not one per message:
    the check itself looks again later when the newest unread message is still too fresh."""
    delay = timedelta(minutes=settings.MESSAGING_EMAIL_AFTER_MINUTES)
    run_after = run_after or timezone.now() + delay
    key = f"messaging:unread-check:{conversation_id}:{recipient_id}"

    def enqueue() -> None:
        if not cache.add(key, 1, timeout=max(int((run_after - timezone.now()).total_seconds()), 1)):
            return  # a check is already queued
        task = notify_unread
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(conversation_id=conversation_id, user_id=recipient_id)

    transaction.on_commit(enqueue, robust=True)  # an email that cannot be queued must not fail the message


def unread_email_send(*, conversation_id: int, user_id: int, now=None) -> bool:
    """Email a participant about unread messages, if they have been away long enough and were not
    already told since they last read. The email names who wrote about which listing, never the text."""
    now = now or timezone.now()
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update().select_related("listing", "listing__owner", "requester").filter(pk=conversation_id).first()
        )
        user = User.objects.filter(pk=user_id, is_active=True, deleted_at__isnull=True).first()
        if conversation is None or user is None or not user.notify_messages:
            return False
        is_requester = user.pk == conversation.requester_id
        read_upto = conversation.requester_read_upto if is_requester else conversation.poster_read_upto
        notified_field = "requester_notified_upto" if is_requester else "poster_notified_upto"
        notified_upto = getattr(conversation, notified_field)
        unread = conversation.messages.exclude(sender=user).filter(id__gt=read_upto, kind=Message.Kind.TEXT)
        newest = unread.order_by("-id").first()
        if newest is None or notified_upto > read_upto:
            return False  # nothing unread, or already told once since they last read
        away_since = now - timedelta(minutes=settings.MESSAGING_EMAIL_AFTER_MINUTES)
        presence = Presence.objects.filter(user=user).first()
        if presence and presence.last_seen_at > away_since:
            return False  # online recently: the badge is enough
        if newest.created_at > away_since:
            # Too fresh: look again when the newest message has waited long enough.
            _schedule_unread_email(conversation.pk, user.pk, run_after=newest.created_at + (now - away_since))
            return False
        setattr(conversation, notified_field, newest.pk)
        conversation.save(update_fields=[notified_field])
        other = conversation.listing.owner if is_requester else conversation.requester
        context = {
            "user": user,
            "sender": other,
            "listing_title": conversation.listing.title,
            "url": settings.SITE_URL + conversation.get_absolute_url(),
            "settings_url": settings.SITE_URL + reverse("accounts:profile"),
        }
        # The newest message's notice, email only: when its push failed and email told instead,
        # this is not sent a second time.
        sent = notice_send(
            user=user,
            notice=message_notice(conversation, newest),
            email=lambda: email_send(to=user.email, template="messaging/email/unread", context=context),
            only={Channel.EMAIL},
            now=now,
        )
    return bool(sent)
