"""Staff pages for the board: the review queue, hiding and restoring, official answers, the
four-eyes author reveal, NG words and the facility import. Every action is audited."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from community import selectors
from community.facilities import facilities_import
from community.forms import DecisionForm, FacilityImportForm, NGWordForm, OfficialAnswerForm, OptionalReasonForm, ReasonForm
from community.models import Facility, Post, PostReport, RevealRequest, Thread
from core.forms import flash_errors
from moderation import board
from core.models import NGWord
from moderation.ngwords import ng_word_add, ng_word_remove


def _staff_next(request: HttpRequest, url: str) -> str:
    """Where to go back to after an action: a staff page on this site, or "" (it is also a link)."""
    if url.startswith("/staff/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/board/queue.html",
        {
            "held": list(selectors.held_posts()[:100]),
            "reported": list(selectors.reported_posts()[:100]),
            "pending_reveals": selectors.reveal_requests(status=RevealRequest.Status.PENDING).count(),
        },
    )


@staff_required
def post_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Hide, restore or publish a post: a form asking for the reason, then the audited action."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    form_class = OptionalReasonForm if action == "approve" else ReasonForm
    form = form_class(request.POST or None)
    next_url = _staff_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST" and form.is_valid():
        do = {"hide": board.post_hide, "restore": board.post_restore, "approve": board.post_approve}[action]
        try:
            do(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, {"hide": _("The post is hidden."), "restore": _("The post is shown again."), "approve": _("The post is published.")}[action])
        return redirect(next_url or post)
    return render(request, "moderation/board/moderate.html", {"form": form, "post": post, "action": action, "next": next_url})


@staff_required
@require_POST
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(PostReport.objects.select_related("post"), pk=pk)
    board.report_dismiss(report=report, actor=request.user, reason=request.POST.get("reason", "")[:1000])
    messages.success(request, _("The report was dismissed."))
    return redirect("community_staff:queue")


@staff_required
@require_POST
def official_answer(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    form = OfficialAnswerForm(request.POST)
    if form.is_valid():
        try:
            post = board.official_answer(thread=thread, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The ward's answer is posted."))
            return redirect(post)
    else:
        messages.error(request, _("Write the answer first."))
    return redirect(thread)


@staff_required
def reveal_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board.reveal_request(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your request waits for a second staff member."))
            return redirect("community_staff:reveal_list")
    reports = list(post.reports.order_by("created_at"))
    return render(request, "moderation/board/reveal_request.html", {"form": form, "post": post, "reports": reports})


@staff_required
def reveal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/board/reveal_list.html",
        {
            "pending": list(selectors.reveal_requests(status=RevealRequest.Status.PENDING)[:100]),
            "recent": list(selectors.reveal_requests().exclude(status=RevealRequest.Status.PENDING)[:50]),
        },
    )


@staff_required
def reveal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    reveal = get_object_or_404(selectors.reveal_requests(), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board.reveal_decide(
                request=reveal, actor=request.user, approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your decision is recorded."))
        return redirect("community_staff:reveal_list")
    own = reveal.requested_by_id == request.user.pk
    reports = list(reveal.post.reports.order_by("created_at"))
    return render(request, "moderation/board/reveal_decide.html", {"form": form, "reveal": reveal, "own": own, "reports": reports})


@staff_required
@require_POST
def reveal_show(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the author once, as the response to a POST (nothing to reload or bookmark)."""
    reveal = get_object_or_404(selectors.reveal_requests(), pk=pk)
    try:
        author = board.reveal_view(request=reveal, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("community_staff:reveal_list")
    response = render(request, "moderation/board/reveal_show.html", {"reveal": reveal, "author": author})
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def ng_words(request: HttpRequest) -> HttpResponse:
    form = NGWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ng_word_add(actor=request.user, word=form.cleaned_data["word"])
        except ValidationError as exc:
            form.add_error("word", exc.messages)
        else:
            messages.success(request, _("The word was added."))
            return redirect("community_staff:ng_words")
    return render(request, "moderation/board/ng_words.html", {"form": form, "words": list(NGWord.objects.all())})


@staff_required
@require_POST
def ng_word_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ng_word_remove(actor=request.user, ng_word=get_object_or_404(NGWord, pk=pk))
    messages.success(request, _("The word was removed."))
    return redirect("community_staff:ng_words")


@staff_required
def facility_import(request: HttpRequest) -> HttpResponse:
    form = FacilityImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Read one byte past the limit at most: the service refuses the file with a clear message.
            data = upload.read(settings.COMMUNITY_IMPORT_MAX_BYTES + 1)
            result = facilities_import(actor=request.user, data=data, filename=upload.name, dataset=form.cleaned_data["dataset"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    datasets = list(Facility.objects.exclude(dataset="").order_by("dataset").values_list("dataset", flat=True).distinct()[:50])
    return render(request, "moderation/board/facility_import.html", {"form": form, "result": result, "datasets": datasets})
