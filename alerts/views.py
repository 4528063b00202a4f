"""Saved searches: save from the browse page, manage, see results, unsubscribe without login."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.decorators import resident_required
from alerts import selectors, services
from alerts.forms import SavedSearchSettingsForm, SaveSearchForm
from alerts.models import SavedSearch
from core.confirm import confirmation_page, is_confirmed
from core.forms import flash_errors
from listings.confirmations import CONFIRMATIONS


@require_POST
@resident_required
def save(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Search saved. Choose below how you want to hear about new items."))
    else:
        messages.error(request, _("This search could not be saved."))
        for errors in form.errors.values():  # the keyword's own error too (a line break in it)
            for text in errors:
                messages.error(request, text)
    return redirect("alerts:list")


@resident_required
def saved_list(request: HttpRequest) -> HttpResponse:
    saved = list(request.user.saved_searches.select_related("category", "town"))
    counts = selectors.new_counts(request.user)
    for item in saved:
        item.new_count = counts.get(item.pk, 0)
        item.form = SavedSearchSettingsForm(instance=item, prefix=f"s{item.pk}")
    return render(request, "alerts/list.html", {"saved_searches": saved})


@require_POST
@resident_required
def update(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = SavedSearchSettingsForm(request.POST, instance=saved, prefix=f"s{pk}")
    if form.is_valid():
        services.saved_search_update(saved=saved, **form.cleaned_data)
        messages.success(request, _("Your alert settings have been saved."))
    else:
        messages.error(request, _("Please choose one of the options."))
    return redirect("alerts:list")


@require_POST
@resident_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if not is_confirmed(request):
        return confirmation_page(request, CONFIRMATIONS["saved_search_delete"], subject=str(saved), cancel_url=reverse("alerts:list"))
    services.saved_search_delete(saved=saved)
    messages.success(request, _("The saved search has been deleted."))
    return redirect("alerts:list")


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a saved search on the browse page; what was new is now seen."""
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_seen(saved=saved)
    params = {"q": saved.q, "kind": saved.kind, "category": saved.category.slug if saved.category_id else "",
              "town": saved.town_id or "", "free": "on" if saved.free else ""}
    return redirect(reverse("listings:browse") + "?" + urlencode({k: v for k, v in params.items() if v}))


@csrf_exempt  # RFC 8058 one-click unsubscribe is a POST from the mail client, with no session
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one alert from the link in its email, without logging in: GET asks, POST stops."""
    if request.method == "POST":
        saved = services.unsubscribe(token=token)
    else:
        saved = selectors.saved_search_for_token(token)
    if saved is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    return render(request, "alerts/unsubscribe.html", {"saved": saved, "done": request.method == "POST"})


@csrf_exempt  # RFC 8058 one-click unsubscribe is a POST from the mail client, with no session
def unsubscribe_digest(request: HttpRequest, token: str) -> HttpResponse:
    """Stop every saved search of a digest from its stop link, without logging in: GET asks
    (naming the searches), POST stops. A link scanner's GET changes nothing."""
    if request.method == "POST":
        found = services.digest_unsubscribe(token=token)
    else:
        owner = selectors.digest_owner_for_token(token)
        found = (owner, list(selectors.digest_searches(user=owner))) if owner else None
    if found is None:
        return render(request, "alerts/unsubscribe_digest.html", {"invalid": True}, status=400)
    return render(request, "alerts/unsubscribe_digest.html", {"searches": found[1], "done": request.method == "POST"})
