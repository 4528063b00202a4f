"""Messaging pages: request, inbox, conversation (works without JavaScript), handover actions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import resident_required
from accounts.models import User
from core.confirm import confirmation_page, is_confirmed
from core.forms import flash_errors
from listings.confirmations import CONFIRMATIONS
from listings.models import Listing
from listings.selectors import listing_for_owner, listing_for_viewer, listings_public
from messaging import rendering, selectors
from messaging.inbox import inbox_of
from messaging.forms import LotteryForm, MessageForm, PickupForm, ReportForm, RequestForm, ThanksForm
from messaging.models import Lottery, Message, Reservation
from messaging.services import blocks as block_services
from messaging.services import conversations as conversation_services
from messaging.services import handover
from messaging.services import lottery as lottery_services
from messaging.services import pickup as pickup_services


def _cleaned(form: forms.Form) -> dict:
    """The bound form's cleaned data; its errors, if any, raised as one ValidationError (shown as messages)."""
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return form.cleaned_data


@resident_required
def start(request: HttpRequest, listing_pk: int) -> HttpResponse:
    """The "譲ってほしい" button: write a first message; pressing again opens the same conversation."""
    listing = listing_for_viewer(request.user, listing_pk)
    if listing.owner_id == request.user.pk:
        return redirect("messaging:requests", listing_pk=listing.pk)  # one's own listing: see who asked
    existing = listing.conversations.filter(requester=request.user).first()
    if existing and request.method == "GET":
        return redirect(existing)
    form = RequestForm(request.POST or None, conversation=existing)
    lottery = selectors.lottery_open(listing)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_services.conversation_start(
                listing=listing, requester=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(conversation)
    return render(request, "messaging/start.html", {"listing": listing, "form": form, "lottery": lottery})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    conversation_services.presence_touch(user=request.user)
    return render(request, "messaging/inbox.html", {"conversations": inbox_of(request.user)})


def _conversation_context(request: HttpRequest, conversation, form=None, before: int | None = None) -> dict:
    user = request.user
    listing = conversation.listing
    viewer = rendering.viewer_context(conversation, user)  # what the message partial needs, as the socket renders it
    is_poster, other = viewer["is_poster"], viewer["other"]
    history = selectors.messages_of(conversation, before=before)
    reservation = (
        Reservation.objects.filter(conversation=conversation).exclude(status=Reservation.Status.RELEASED).order_by("-id").first()
    )
    listing_reservation = selectors.active_reservation(listing) if is_poster else None
    return {
        **viewer,
        "listing": listing,
        "history": history,
        "before": before,
        "has_older": bool(history) and conversation.messages.filter(id__lt=history[0].pk).exists(),
        "lottery": selectors.lottery_open(listing) if listing.status == Listing.Status.PUBLISHED else None,
        "can_record_no_show": listing_reservation is not None and selectors.no_show_allowed(listing_reservation),
        "form": form or MessageForm(),
        "refusal": selectors.write_refusal(conversation, user),
        "reservation": reservation,
        "listing_reservation": listing_reservation,
        "dealt_before": selectors.dealt_before(user.pk, other.pk, excluding_listing_id=listing.pk),
        "i_blocked": selectors.has_blocked(user.pk, other.pk),
        "pickup_form": PickupForm(),
        "thanks_form": ThanksForm(),
        "thanked": reservation is not None and reservation.thanks.filter(sender=user).exists(),
    }


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """History over plain HTTP and a plain form to write: works without JavaScript.
    `?before=<id>` shows the page of messages older than that one."""
    conv = selectors.conversation_for_user(request.user, pk)
    try:
        before = int(request.GET["before"]) if request.GET.get("before") else None
    except ValueError:
        before = None  # a mangled link: show the newest messages
    form = MessageForm(request.POST or None, conversation=conv)
    if request.method == "POST" and form.is_valid():
        try:
            conversation_services.message_send(conversation=conv, sender=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            return redirect(conv)
    conversation_services.presence_touch(user=request.user)
    conversation_services.conversation_mark_read(conversation=conv, user=request.user)
    status = 200 if not form.errors else 400
    return render(request, "messaging/conversation.html", _conversation_context(request, conv, form, before), status=status)


@login_required
def history(request: HttpRequest, pk: int) -> JsonResponse:
    """Messages as JSON: `after=<id>` for what was missed, `before=<id>` for older pages."""
    conv = selectors.conversation_for_user(request.user, pk)
    try:
        after = int(request.GET.get("after") or 0)
        before = int(request.GET["before"]) if request.GET.get("before") else None
    except ValueError:
        return JsonResponse({"error": _("after and before must be message ids (whole numbers).")}, status=400)
    items = selectors.messages_of(conv, after=after, before=before)
    return JsonResponse({"messages": [conversation_services.message_payload(m) for m in items]})


@resident_required
def listing_requests(request: HttpRequest, listing_pk: int) -> HttpResponse:
    """The poster sees every request for a listing in one place."""
    listing = listing_for_owner(request.user, listing_pk)
    return render(
        request,
        "messaging/requests.html",
        {
            "listing": listing,
            "requests": list(selectors.requests_for_listing(listing)),
            "reservation": selectors.active_reservation(listing),
            "lottery": Lottery.objects.filter(listing=listing).select_related("winner__requester").first(),
            "wanted": listing.kind == Listing.Kind.WANTED,
            "lottery_form": LotteryForm(),
        },
    )


@require_POST
@resident_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Handover actions from the conversation page; each is a plain form post."""
    conv = selectors.conversation_for_user(request.user, pk)
    listing = conv.listing
    reservation = Reservation.objects.filter(conversation=conv).exclude(status=Reservation.Status.RELEASED).order_by("-id").first()
    wanted = listing.kind == Listing.Kind.WANTED
    if action in ("hand_over", "release", "no_show", "block") and not is_confirmed(request):
        if action != "block":
            handover.require_poster(listing, request.user)  # no question about a step one cannot take
        step = "received" if action == "hand_over" and wanted else action
        return confirmation_page(request, CONFIRMATIONS[step], subject=listing.title, cancel_url=conv.get_absolute_url())
    try:
        if action == "reserve":
            handover.reservation_create(conversation=conv, actor=request.user)
            messages.success(request, _("You accepted this person's offer.") if wanted else _("The item is reserved for this person."))
        elif action == "release":
            handover.reservation_release(listing=listing, actor=request.user)
            messages.success(request, _("The reservation has been cancelled."))
        elif action == "hand_over":
            handover.reservation_hand_over(listing=listing, actor=request.user)
            messages.success(request, _("Marked as received. Thank you!") if wanted else _("Marked as handed over. Thank you for passing it on!"))
        elif action == "no_show":
            handover.reservation_no_show(listing=listing, actor=request.user)
            messages.success(
                request,
                _("Recorded as a no-show. The item is available again and everyone else who asked has been told: choose the next person on the requests page."),
            )
        elif action in ("pickup_propose", "pickup_accept", "receipt", "thanks") and reservation is None:
            raise ValidationError(_("There is no reservation in this conversation."))
        elif action == "pickup_propose":
            when = _cleaned(PickupForm(request.POST))["when"]
            pickup_services.pickup_propose(reservation=reservation, actor=request.user, when=when)
            messages.success(request, _("Your proposed time has been sent. The other person can accept it."))
        elif action == "pickup_accept":
            pickup_services.pickup_accept(reservation=reservation, actor=request.user)
            messages.success(request, _("The pickup time is agreed. You will both get a reminder."))
        elif action == "receipt":
            handover.reservation_confirm_receipt(reservation=reservation, actor=request.user)
            messages.success(request, _("Receipt confirmed. Thank you!"))
        elif action == "thanks":
            text = _cleaned(ThanksForm(request.POST))["text"]
            handover.thanks_send(reservation=reservation, sender=request.user, text=text)
            messages.success(request, _("Your thanks has been sent."))
        elif action == "block":
            other = User.objects.get(pk=conv.other_participant_id(request.user.pk))
            block_services.user_block(blocker=request.user, blocked=other)
            messages.success(request, _("You have blocked this person. Neither of you can send new messages, and any reservation between you has ended."))
        elif action == "unblock":
            other = User.objects.get(pk=conv.other_participant_id(request.user.pk))
            block_services.user_unblock(blocker=request.user, blocked=other)
            messages.success(request, _("You have unblocked this person."))
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(conv)


@require_POST
@resident_required
def lottery(request: HttpRequest, listing_pk: int) -> HttpResponse:
    listing = listing_for_owner(request.user, listing_pk)
    try:
        closes_at = _cleaned(LotteryForm(request.POST))["closes_at"]
        lottery_services.lottery_start(listing=listing, actor=request.user, closes_at=closes_at)
        messages.success(request, _("The lottery is set. One of the people who asked will be chosen at random when it closes."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("messaging:requests", listing_pk=listing.pk)


@require_POST
@resident_required
def lottery_cancel(request: HttpRequest, listing_pk: int) -> HttpResponse:
    listing = listing_for_owner(request.user, listing_pk)
    if not is_confirmed(request):
        cancel_url = reverse("messaging:requests", args=[listing.pk])
        return confirmation_page(request, CONFIRMATIONS["lottery_cancel"], subject=listing.title, cancel_url=cancel_url)
    try:
        lottery_services.lottery_cancel(listing=listing, actor=request.user)
        messages.success(request, _("The lottery is cancelled. You can choose whom to give to."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("messaging:requests", listing_pk=listing.pk)


@login_required
def report(request: HttpRequest, message_pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=message_pk)
    conv = selectors.conversation_for_user(request.user, message.conversation_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation_services.message_report(message=message, reporter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Staff will look at the message."))
            return redirect(conv)
    return render(request, "messaging/report.html", {"form": form, "message": message, "conversation": conv})


@resident_required
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    """A resident's page (display name, thanks received, public listings; nothing personal), for
    verified residents who have a reason to see it (messaging.selectors.person_for_viewer)."""
    person = selectors.person_for_viewer(request.user, public_id)
    listings = list(listings_public().filter(owner=person).order_by("-published_at")[:24])
    return render(
        request,
        "messaging/profile.html",
        {"person": person, "thanks": selectors.thanks_count(person), "listings": listings},
    )
