"""The notification settings page and the endpoints its script and the service worker call."""

import json

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import services
from notifications.forms import PreferenceForm, SubscriptionForm
from notifications.models import Event, LineLink
from notifications.push import off_subscription
from notifications.selectors import chosen_channels, line_configured, preference_for, push_configured

JSON_MAX_BYTES = 4096


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    preference = preference_for(request.user)
    chosen = {event: chosen_channels(request.user, event, preference) for event in Event}
    # The interests for the ward's news on LINE (by name: notifications never imports listings).
    categories = apps.get_model("listings", "Category").objects.filter(is_active=True)
    interests = [(category.pk, category.name) for category in categories]
    form = PreferenceForm(request.POST or None, instance=preference, chosen=chosen, interests=interests)
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, preference=form.save(commit=False), chosen=form.chosen())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {
        "form": form,
        "devices": request.user.push_subscriptions.all(),
        "push_configured": push_configured(),
        "vapid_public_key": settings.NOTICES["VAPID_PUBLIC_KEY"],
        "line_configured": line_configured(),
        "line_linked": LineLink.objects.filter(user=request.user).exists(),
    })


def _json_body(request: HttpRequest) -> dict | None:
    if len(request.body) > JSON_MAX_BYTES:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@require_POST
@login_required
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Body: the browser's PushSubscription.toJSON() plus "device" (a name for the settings page)."""
    data = _json_body(request)
    if data is None:
        return JsonResponse({"error": _("The request could not be read.")}, status=400)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    form = SubscriptionForm({"endpoint": data.get("endpoint"), "device": data.get("device"), **keys})
    if not form.is_valid():
        return JsonResponse({"error": _("This browser's push subscription could not be read.")}, status=400)
    try:
        services.push_subscribe(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"ok": True}, status=201)


@require_POST
@login_required
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """From the device list (a form with the device's id) or from the page's script (JSON with the
    browser's endpoint, when the resident turns push off on this device)."""
    if request.content_type == "application/json":
        data = _json_body(request) or {}
        removed = services.push_unsubscribe(user=request.user, endpoint=str(data.get("endpoint", ""))[:1000])
        return JsonResponse({"ok": removed})
    pk = request.POST.get("device", "")
    if pk.isdigit() and services.push_unsubscribe(user=request.user, pk=int(pk)):
        messages.success(request, _("Notifications are off on that device."))
    return redirect("notifications:settings")


@csrf_exempt  # the notification's own button: the worker has no CSRF token; the signed id is the proof
@require_POST
def push_off(request: HttpRequest, token: str) -> HttpResponse:
    subscription = off_subscription(token)
    if subscription is not None:
        subscription.delete()
    return HttpResponse(status=204)
