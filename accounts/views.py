"""Account pages: profile, notifications, data download, deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.apps import apps
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.export import export_zip, reports_made
from accounts.forms import DeleteAccountForm, NotificationForm, ProfileForm, TermsAcceptForm
from accounts.selectors import must_accept_terms


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user, initial={
        "display_name": user.display_name,
        "postal_code": f"{user.postal_code[:3]}-{user.postal_code[3:]}" if user.postal_code else "",
    })
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=user,
            display_name=form.cleaned_data["display_name"],
            postal_code=form.cleaned_data["postal_code"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    notifications = NotificationForm(initial={
        "notify_messages": user.notify_messages,
        "notify_listings": user.notify_listings,
    })
    return render(request, "accounts/profile.html", {"form": form, "notifications": notifications})


@login_required
@require_POST
def notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationForm(request.POST)
    if form.is_valid():
        services.user_update_notifications(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
    return redirect("accounts:profile")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = services.user_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mottainai-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def data(request: HttpRequest) -> HttpResponse:
    """「あなたのデータ」: what the service holds about the signed-in resident, readable, by section."""
    exported = services.user_export(user=request.user)
    messaging = exported.get("messaging") or {}
    conversations = [
        {**conversation, "count": len(conversation["messages"]),
         "mine": [message for message in conversation["messages"] if message["from_me"] and message["kind"] != "event"]}
        for conversation in messaging.get("conversations", [])
    ]
    # Status words as the listing pages show them (by name: accounts never imports listings).
    statuses = dict(apps.get_model("listings", "Listing").Status.choices)
    listings = [{**listing, "status_label": statuses.get(listing["status"], listing["status"])} for listing in exported.get("listings", [])]
    response = render(request, "accounts/data.html", {
        "listings": listings,
        "data": exported, "conversations": conversations, "reports": reports_made(request.user),
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_archive(request: HttpRequest) -> HttpResponse:
    """The same data as a ZIP: data.json, CSV files and the resident's own listing photos."""
    archive = export_zip(user=request.user, data=services.user_export(user=request.user))
    stamp = timezone.localdate().isoformat()
    response = FileResponse(archive, as_attachment=True, filename=f"mottainai-my-data-{stamp}.zip", content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=request.user, erase_posts=form.cleaned_data["board_posts"] == "erase")
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for using Mottainai."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def terms(request: HttpRequest) -> HttpResponse:
    """Accept the current version of the terms of use and privacy policy, then go on."""
    data = request.POST if request.method == "POST" else None  # the button sends nothing else but `next`
    form = TermsAcceptForm(data, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        services.terms_accept(user=request.user)
        messages.success(request, _("Thank you. You have accepted the current terms of use."))
        target = form.cleaned_data["next"]
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return redirect(target if target and safe else "home")
    return render(
        request,
        "accounts/terms.html",
        {"form": form, "version": settings.TERMS_VERSION, "must_accept": must_accept_terms(request.user)},
    )


@login_required
def suspended(request: HttpRequest) -> HttpResponse:
    """The suspension notice, the first page after a suspended resident signs in (and linked from
    the banner on every page). Once the suspension is lifted it says so and leads on."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return render(request, "accounts/suspended.html", {"next": target if target and safe else ""})
