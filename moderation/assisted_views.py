"""Staff pages for postcard residents: register, receipt, inbox, relay."""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from core.forms import add_errors, flash_errors
from core.text import text_clean
from listings.forms import ListingForm
from listings.lifecycle import EDITABLE_STATUSES, Action, can_transition
from listings.models import Listing
from messaging.models import Conversation, Message, Reservation
from moderation import assisted
from moderation.forms import (
    AssistedForm,
    MessageForm,
    NoteForm,
)
from moderation.models import AssistedRegistration


@staff_required
def assisted_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/assisted_inbox.html", {"registrations": assisted.registrations()})


@staff_required
def assisted_new(request: HttpRequest) -> HttpResponse:
    form = AssistedForm(request.POST or None, request.FILES or None, initial={"kind": Listing.Kind.OFFER, "price": 0})
    if request.method == "POST" and form.is_valid():
        try:
            registration = assisted.assisted_register(
                actor=request.user, resident_name=form.cleaned_data["resident_name"], phone=form.cleaned_data["phone"],
                postal_code=form.cleaned_data["postal_code"], note=form.cleaned_data["staff_note"],
                data=form.listing_data(), photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Registered as No. %(number)s. Print the receipt for the resident.") % {"number": registration.listing.number})
            return redirect("moderation:assisted_receipt", pk=registration.pk)
    return render(request, "moderation/assisted_form.html", {"form": form})


def _registration(pk: int) -> AssistedRegistration:
    return get_object_or_404(AssistedRegistration.objects.select_related("listing__owner", "listing__category", "listing__town", "created_by"), pk=pk)


@staff_required
def assisted_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed receipt goes to the resident, so it is in Japanese whatever the staff member reads."""
    context = {"registration": _registration(pk), "today": timezone.localdate(), "office_phone": settings.ENVIRONMENT_OFFICE_PHONE}
    with translation.override("ja"):
        response = render(request, "moderation/assisted_receipt.html", context)
    response.headers["Content-Language"] = "ja"
    return response


@staff_required
def assisted_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a postcard resident's listing (title, text, category, condition, price, town, photos)."""
    registration = _registration(pk)
    listing = registration.listing
    if listing.status not in EDITABLE_STATUSES:  # say so before staff type anything
        messages.error(request, _("This listing is closed and can no longer be edited."))
        return redirect("moderation:assisted_detail", pk=pk)
    form = ListingForm(
        request.POST or None, request.FILES or None, initial=ListingForm.initial_for(listing), existing_photos=list(listing.photos.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assisted.assisted_update(
                actor=request.user, registration=registration, data=form.listing_data(), new_photos=form.cleaned_data["photos"],
                remove_photo_ids=form.removed_photo_ids(), order=form.photo_order(), cover_id=form.cleaned_data.get("cover"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The listing is corrected."))
            return redirect("moderation:assisted_detail", pk=pk)
    return render(request, "moderation/assisted_edit.html", {"form": form, "registration": registration, "listing": listing})


@staff_required
def assisted_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(pk)
    listing = registration.listing
    conversations = list(
        Conversation.objects.filter(listing=listing).select_related("requester", "listing__owner").prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("sender").order_by("id"))
        ).order_by("created_at")
    )
    assisted.desk_mark_read(registration)
    return render(
        request,
        "moderation/assisted_detail.html",
        {
            "registration": registration, "listing": listing, "conversations": conversations,
            "reservation": Reservation.objects.filter(listing=listing, status=Reservation.Status.ACTIVE).first(),
            "can_edit": listing.status in EDITABLE_STATUSES,
            "can_withdraw": can_transition(listing.status, Action.WITHDRAW),
            "message_form": MessageForm(), "note_form": NoteForm(), "notes": list(registration.notes.select_related("created_by")),
        },
    )


@staff_required
@require_POST
def assisted_act(request: HttpRequest, pk: int, action: str, conversation_pk: int | None = None) -> HttpResponse:
    registration = _registration(pk)
    conversation = get_object_or_404(Conversation, pk=conversation_pk, listing=registration.listing) if conversation_pk else None
    try:
        if action == "message":
            form = MessageForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write the message first."))
            assisted.assisted_message(actor=request.user, registration=registration, conversation=conversation, body=form.cleaned_data["body"])
        elif action == "reserve":
            assisted.assisted_reserve(actor=request.user, registration=registration, conversation=conversation)
        elif action == "release":
            assisted.assisted_release(actor=request.user, registration=registration)
        elif action == "hand_over":
            assisted.assisted_hand_over(actor=request.user, registration=registration)
        elif action == "withdraw":
            assisted.assisted_withdraw(actor=request.user, registration=registration, reason=text_clean(request.POST.get("reason", ""))[:1000])
        else:
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write the note first."))
            assisted.assisted_note(actor=request.user, registration=registration, text=form.cleaned_data["text"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("moderation:assisted_detail", pk=pk)
