"""Listing pages: home, browse, detail, create, edit, my listings, owner actions."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults, static
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import resident_refusal, resident_required
from core.confirm import confirmation_page, is_confirmed
from core.ratelimit import RateLimited
from core.forms import add_errors, flash_errors
from core.pagecache import cache_public_page
from listings import selectors, services
from listings.confirmations import CONFIRMATIONS
from listings.filters import ListingFilter
from listings.forms import ListingForm, ReportForm
from listings.lifecycle import EDITABLE_STATUSES, Action, owner_choices
from listings.models import Listing
from listings.uploads import draft_discard, draft_initial, upload_store, uploader_for, uploads_find

PAGE_SIZE = 24


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "listings/home.html",
        # Functions: the template calls them only when its cached fragment is out of date.
        {"latest": selectors.listings_latest, "categories": selectors.categories_with_counts},
    )


@cache_public_page
def browse(request: HttpRequest) -> HttpResponse:
    """Filters, sorts and keyset pagination: the 500th page costs what the first costs."""
    filterset = ListingFilter(request.GET or None, queryset=selectors.listings_public_for(request.user))
    sort = filterset.chosen_sort
    cursor = request.GET.get("cursor") or None
    before = request.GET.get("before") or None
    try:
        page = selectors.page_around(filterset.qs, cards=filterset.queryset, sort=sort, cursor=cursor, before=before, limit=PAGE_SIZE)
    except selectors.BadCursor:  # a mangled link: start again from the first page
        page = selectors.page_around(filterset.qs, cards=filterset.queryset, sort=sort, cursor=None, before=None, limit=PAGE_SIZE)
    query = request.GET.copy()
    for name in ("cursor", "before", "page"):
        query.pop(name, None)
    return render(
        request,
        "listings/browse.html",
        {
            "filter": filterset,
            "listings": page.rows,
            "listing_ids": ",".join(str(row.pk) for row in page.rows),  # keys the cards' cached fragment
            "total": selectors.count_up_to(filterset.qs),
            "count_limit": selectors.COUNT_LIMIT,
            "next_cursor": page.next_cursor,
            "previous_cursor": page.previous_cursor,
            "is_first_page": page.is_first,
            "query": query.urlencode(),
        },
    )


@cache_public_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_for_viewer(request.user, pk)
    is_owner = listing.owner_id == request.user.pk
    handover = selectors.handover_record(listing) if request.user.is_authenticated else None
    if handover is not None and not (is_owner or handover.requester_id == request.user.pk):
        handover = None  # staff see the listing, not the two residents' record
    return render(
        request,
        "listings/detail.html",
        {
            "listing": listing,
            "photos": list(listing.photos.all()),
            "is_owner": is_owner,
            "can_edit": is_owner and listing.status in EDITABLE_STATUSES,
            "can_renew": is_owner and services.listing_can_renew(listing),
            "can_publish": is_owner and "submit" in owner_choices(listing.status),
            "handover": handover,
        },
    )


@require_safe
def photo(request: HttpRequest, name: str) -> HttpResponse:
    """A listing photo (/media/<name>): to everyone while the listing is public, otherwise only to
    its poster and staff. Public answers may be cached for LISTING_PHOTO_MAX_AGE seconds, the
    others only by the viewer's browser; a refusal is never cached, so the same URL works again
    as soon as the listing is back (docs/SECURITY.md, "Photos")."""
    try:
        file, public = selectors.photo_for_viewer(request.user, name)
    except Http404 as exception:
        response = defaults.page_not_found(request, exception)
        patch_cache_control(response, no_store=True)
        return response
    return _serve(file, request, public=public)


def _serve(file, request: HttpRequest, *, public: bool) -> HttpResponse:
    max_age = settings.LISTING_PHOTO_MAX_AGE
    if isinstance(file.storage, FileSystemStorage):
        response = static.serve(request, file.name, document_root=file.storage.location)
    else:
        # A private bucket: send the browser on with a link signed for max_age seconds, which the
        # bucket tells browsers, but no shared cache, to keep.
        link = file.storage.url(file.name, expire=max_age, parameters={"ResponseCacheControl": f"private, max-age={max_age}"})
        response = HttpResponseRedirect(link)
        max_age //= 2  # a cached redirect must not outlive the link it points to
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """One photo into the upload area as soon as it is chosen (static/js/site.js): its key and
    thumbnail, or the pipeline's message. Visitors may upload too: they sign up before posting."""
    if request.user.is_authenticated and resident_refusal(request) is not None:
        return JsonResponse({"error": _("Only residents of the ward can post listings.")}, status=403)
    file = request.FILES.get("photo")
    if file is None:
        return JsonResponse({"error": _("Choose a photo.")}, status=400)
    try:
        stored = upload_store(
            uploader_for(request, create=True), file, name=file.name, address=request.META.get("REMOTE_ADDR", "")
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    except RateLimited as exc:
        return JsonResponse({"error": exc.message}, status=429, headers={"Retry-After": str(exc.retry_after)})
    thumbnail = reverse("listings:upload_thumbnail", args=[stored.key])
    return JsonResponse({"key": str(stored.key), "name": stored.name, "thumbnail": thumbnail}, status=201)


@require_safe
def upload_thumbnail(request: HttpRequest, key: str) -> HttpResponse:
    """An uploaded photo's thumbnail, to its uploader only."""
    found, _missing = uploads_find(uploader_for(request), [key])
    if not found:
        raise Http404
    return _serve(found[0].thumbnail, request, public=False)


DRAFT_SESSION_KEY = "listing_draft"


def create(request: HttpRequest) -> HttpResponse:
    """The listing form. A visitor may fill it in before signing up: it is kept in their session,
    photos in the upload area, and comes back as they left it once they have signed up or logged
    in (listings.receivers claims the photos). A resident who sent photos to the ward's LINE account
    finds them chosen here, with the text they sent (listings.uploads.draft_initial)."""
    visitor = not request.user.is_authenticated
    if not visitor:
        refusal = resident_refusal(request)
        if refusal is not None:
            return refusal
    uploader = uploader_for(request, create=visitor and request.method == "POST")  # no session for a mere look
    draft = request.session.get(DRAFT_SESSION_KEY) if not visitor else None
    if not visitor and not draft and request.method == "GET":
        draft = draft_initial(request.user.pk) or None  # photos and text sent to the ward's LINE account
    initial = {"town": getattr(request.user, "town_id", None), "kind": Listing.Kind.OFFER, "price": 0, **(draft or {})}
    form = ListingForm(request.POST or None, request.FILES or None, initial=initial, uploader=uploader, visitor=visitor)
    if request.method == "POST" and form.is_valid():
        if visitor:
            request.session[DRAFT_SESSION_KEY] = form.draft()
            messages.info(request, _("Your item and photos are kept. Sign up (or log in) and it comes back for you to publish."))
            return redirect(f"{reverse('account_signup')}?{urlencode({'next': reverse('listings:create')})}")
        try:
            listing = services.listing_create(
                owner=request.user,
                data=form.listing_data(),
                photos=form.new_photos(),
                publish="save_draft" not in request.POST,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            request.session.pop(DRAFT_SESSION_KEY, None)
            draft_discard(request.user.pk)
            messages.success(request, _status_message(listing))
            return redirect(listing)
    elif draft and request.method == "GET":
        messages.info(request, _("Here is your listing as you left it. Check it and publish it."))
    return render(request, "listings/form.html", {"form": form, "creating": True, "visitor": visitor})


@resident_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_for_owner(request.user, pk)
    if listing.status not in EDITABLE_STATUSES:  # say so before the poster types anything
        messages.error(request, _("This listing is closed and can no longer be edited."))
        return redirect(listing)
    photos = list(listing.photos.all())
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        initial=ListingForm.initial_for(listing),
        existing_photos=photos,
        uploader=uploader_for(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_update(
                listing=listing,
                actor=request.user,
                data=form.listing_data(),
                new_photos=form.new_photos(),
                remove_photo_ids=form.removed_photo_ids(),
                order=form.photo_order(),
                cover_id=form.cleaned_data.get("cover"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if listing.status == Listing.Status.PENDING:
                messages.success(request, _("Your changes have been saved. Staff will check them before the listing is shown again."))
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(listing)
    return render(request, "listings/form.html", {"form": form, "listing": listing, "creating": False})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.listings_of_owner(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for listing in page.object_list:
        listing.choices = owner_choices(listing.status)
        if not services.listing_can_renew(listing):
            listing.choices.discard("renew")  # a fresh listing: renewal opens near its expiry
    return render(request, "listings/mine.html", {"page": page})


OWNER_ACTIONS = {
    "withdraw": (Action.WITHDRAW, gettext_lazy("The listing has been withdrawn.")),
    "hand_over": (Action.HAND_OVER, gettext_lazy("The listing is marked as handed over. Thank you!")),
}


@require_POST
@resident_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    listing = selectors.listing_for_owner(request.user, pk)
    if action in OWNER_ACTIONS and not is_confirmed(request):
        return confirmation_page(request, CONFIRMATIONS[action], subject=listing.title, cancel_url=reverse("listings:mine"))
    try:
        if action == "submit":
            listing = services.listing_submit(listing=listing, actor=request.user)
            messages.success(request, _status_message(listing))
        elif action == "renew":
            services.listing_renew(listing=listing, actor=request.user)
            messages.success(request, _("The listing has been renewed."))
        elif action in OWNER_ACTIONS:
            lifecycle_action, done = OWNER_ACTIONS[action]
            services.listing_transition(listing=listing, action=lifecycle_action, actor=request.user)
            messages.success(request, str(done))
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("listings:mine")


@require_POST
@resident_required
def not_interested(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_for_viewer(request.user, pk)
    services.listing_not_interested(user=request.user, listing=listing)
    messages.success(request, _("You will not see this item in your search results and alerts."))
    return redirect("listings:browse")


def _status_message(listing: Listing) -> str:
    if listing.status == Listing.Status.PUBLISHED:
        return _("Your listing is published.")
    if listing.status == Listing.Status.PENDING:
        return _("Thank you. Staff will check your listing before it is published.")
    return _("Your draft has been saved.")


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_for_viewer(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_report(listing=listing, reporter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Thank you. Staff will look at the listing."))
            return redirect(listing)
    return render(request, "listings/report.html", {"form": form, "listing": listing})
