"""Board pages: thread list, threads, writing, editing, deleting, helpful marks, reports, facilities.

Reading is public; writing needs a verified resident. No page renders a post's author: only
the post's pseudonym (see community/models.py).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import resident_required
from community import selectors, services
from community.facilities import facilities_search
from community.forms import EditForm, FacilityFilterForm, OfficialAnswerForm, ReplyForm, ReportForm, ThreadFilterForm, ThreadForm
from community.models import FACILITY_TOPICS, Facility, Post, Topic
from core.forms import add_errors
from core.pagecache import cache_public_page

THREADS_PER_PAGE = 20
FACILITIES_PER_PAGE = 30


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@cache_public_page
def board(request: HttpRequest) -> HttpResponse:
    form = ThreadFilterForm(request.GET or None)
    topic = form.cleaned_data["topic"] if form.is_valid() else ""
    page = Paginator(selectors.threads_listed(topic=topic or None), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/board.html",
        {"form": form, "page": page, "topic": topic, "topics": Topic.choices, "query": f"topic={topic}" if topic else ""},
    )


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for_viewer(request.user, pk)
    page = selectors.thread_posts_page(thread=thread, viewer=request.user, page=_page_number(request))
    return render(
        request,
        "community/thread.html",
        {
            "thread": thread,
            "page": page,
            "form": ReplyForm(),
            "answer_form": OfficialAnswerForm() if selectors.is_staff(request.user) else None,
            "is_staff": selectors.is_staff(request.user),
        },
    )


def _tell_author(request: HttpRequest, post: Post, *, held: str, published: str = "", form=None) -> None:
    """Tell the author whether what they wrote is on the board or waits for staff (NG words or
    what they sent anyway although it looks like a contact detail held it)."""
    if post.status == Post.Status.HELD and form is not None and form.contact_details:
        messages.warning(request, _("Staff will check what you wrote before it appears, as part of it looks like a contact detail."))
    elif post.status == Post.Status.HELD:
        messages.warning(request, held)
    elif published:
        messages.success(request, published)


@resident_required
def thread_create(request: HttpRequest) -> HttpResponse:
    facility = None
    if request.GET.get("facility", "").isdigit():
        facility = Facility.objects.filter(pk=request.GET["facility"]).first()
    topic = request.GET.get("topic", "") or (FACILITY_TOPICS.get(facility.kind, "") if facility else "")
    initial = {"facility": facility, "topic": topic}
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(author=request.user, **form.post_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _tell_author(
                request,
                thread.posts.get(number=1),
                held=_("Your thread contains words that staff check first. It will appear once staff have reviewed it."),
                published=_("Your thread is on the board."),
                form=form,
            )
            return redirect(thread)
    return render(request, "community/thread_form.html", {"form": form, "facility": facility})


@resident_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_for_viewer(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _tell_author(
                request, post, form=form,
                held=_("Your reply contains words that staff check first. It will appear once staff have reviewed it."),
            )
            return redirect(post)
    # Show the errors on the last page, where the reply form is, keeping what was typed.
    page = selectors.thread_posts_page(thread=thread, viewer=request.user, page=selectors.page_of_post(thread.last_number))
    context = {"thread": thread, "page": page, "form": form, "is_staff": selectors.is_staff(request.user)}
    return render(request, "community/thread.html", context, status=400)


def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's own address: its thread's page that holds it, scrolled to it."""
    post = selectors.post_for_viewer(request.user, pk)
    url = reverse("community:thread", args=[post.thread_id])
    page = selectors.page_of_post(post.number)
    return redirect(f"{url}{'?page=%d' % page if page > 1 else ''}#post-{post.number}")


@resident_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(request.user, pk)
    if post.author_id != request.user.pk:
        return redirect(post)
    with_title = post.number == 1
    initial = {"body": post.body, "title": post.thread.title}
    form = EditForm(request.POST or None, initial=initial, with_title=with_title)
    if not selectors.can_edit(post, request.user):
        messages.error(request, _("This post can no longer be edited. You can still delete it."))
        return redirect(post)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, author=request.user, body=form.cleaned_data["body"], title=form.cleaned_data.get("title"))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _tell_author(
                request,
                post,
                held=_("Your post contains words that staff check first. It will appear once staff have reviewed it."),
                published=_("Your post was updated."),
                form=form,
            )
            return redirect(post)
    return render(request, "community/post_edit.html", {"form": form, "post": post, "edit_minutes": settings.COMMUNITY_EDIT_MINUTES})


@resident_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(request.user, pk)
    if post.author_id != request.user.pk or post.is_official:
        return redirect(post)
    if request.method == "POST":
        services.post_delete(post=post, author=request.user)
        messages.success(request, _("Your post was deleted."))
        return redirect(post)
    return render(request, "community/post_delete.html", {"post": post})


@resident_required
@require_POST
def helpful(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(request.user, pk)
    try:
        services.helpful_toggle(post=post, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(post)


@resident_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for_viewer(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(post=post, reporter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Staff will look at the post."))
            return redirect(post)
    return render(request, "community/report.html", {"form": form, "post": post})


def facility_list(request: HttpRequest) -> HttpResponse:
    form = FacilityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    town = data.get("town")
    qs = selectors.facilities(kind=data.get("kind") or None, town_id=town.pk if town else None)
    if data.get("q"):
        qs = facilities_search(qs, data["q"])
    page = Paginator(qs, FACILITIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "community/facility_list.html", {"form": form, "page": page, "query": query.urlencode()})


def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("town"), pk=pk)
    page = Paginator(selectors.threads_listed(facility=facility), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/facility_detail.html", {"facility": facility, "page": page})
