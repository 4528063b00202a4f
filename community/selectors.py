"""Reads and access rules for the board: what a viewer may see, page by page."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import is_staff_member
from community.models import Facility, Helpful, Post, PostReport, RevealRequest, Thread


def is_staff(user: User) -> bool:
    return is_staff_member(user)


def threads_listed(*, topic: str | None = None, facility: Facility | None = None) -> QuerySet:
    """Threads on the board, most recent activity first."""
    qs = Thread.objects.filter(is_listed=True).select_related("facility")
    if topic:
        qs = qs.filter(topic=topic)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs.order_by("-last_activity_at", "-id")


def thread_for_viewer(user: User, pk: int) -> Thread:
    """A listed thread; an unlisted one (held, hidden) only for its starter and staff; else 404."""
    thread = Thread.objects.select_related("facility").filter(pk=pk).first()
    if thread is None:
        raise Http404
    if thread.is_listed or is_staff(user):
        return thread
    if user.is_authenticated and thread.author_id == user.pk:
        return thread  # the starter sees their held thread and is told it waits for review
    raise Http404


def post_for_viewer(user: User, pk: int) -> Post:
    """A post the viewer may see: in a thread they may see, and not held unless theirs or staff."""
    post = Post.objects.select_related("thread").filter(pk=pk).first()
    if post is None:
        raise Http404
    thread_for_viewer(user, post.thread_id)
    if post.status == Post.Status.HELD and not (is_staff(user) or post.author_id == user.pk):
        raise Http404
    return post


def can_edit(post: Post, user: User) -> bool:
    """The author may edit a post that is still shown (or held) within the edit window."""
    return (
        post.author_id == user.pk
        and not post.is_official
        and post.status in (Post.Status.PUBLISHED, Post.Status.HELD)
        and timezone.now() - post.created_at <= timedelta(minutes=settings.COMMUNITY_EDIT_MINUTES)
    )


@dataclass
class PostPage:
    posts: list[Post]
    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_of_post(number: int) -> int:
    return (number - 1) // settings.COMMUNITY_POSTS_PER_PAGE + 1


def thread_posts_page(*, thread: Thread, viewer: User, page: int) -> PostPage:
    """One page of a thread's posts, by post number: page n holds numbers ((n-1)*size, n*size],
    so page 20 of a long thread costs what page 1 costs (an index range, no OFFSET, no COUNT).

    Each post gets `is_starter`, `is_mine`, `can_edit`, `marked_helpful` and `reported` for the template;
    held posts are left out unless the viewer wrote them or is staff.
    """
    size = settings.COMMUNITY_POSTS_PER_PAGE
    num_pages = max(1, page_of_post(thread.last_number))
    page = min(max(1, page), num_pages)
    posts = list(
        Post.objects.filter(thread=thread, number__gt=(page - 1) * size, number__lte=page * size).order_by("number")
    )
    staff = is_staff(viewer)
    user_id = viewer.pk if viewer.is_authenticated else None
    posts = [p for p in posts if p.status != Post.Status.HELD or staff or p.author_id == user_id]
    marked = set()
    reported = set()
    if user_id and posts:
        ids = [p.pk for p in posts]
        marked = set(Helpful.objects.filter(user_id=user_id, post_id__in=ids).values_list("post_id", flat=True))
        reported = set(PostReport.objects.filter(reporter_id=user_id, post_id__in=ids).values_list("post_id", flat=True))
    opening_pseudonym = None
    if thread.author_id is None:  # the starter left (posts_detach): their posts share the opening post's pseudonym
        opening_pseudonym = Post.objects.filter(thread=thread, number=1).values_list("pseudonym", flat=True).first()
    for post in posts:
        if thread.author_id is None:
            post.is_starter = not post.is_official and post.author_id is None and post.pseudonym == opening_pseudonym
        else:
            post.is_starter = not post.is_official and post.author_id == thread.author_id
        post.is_mine = user_id is not None and post.author_id == user_id
        post.marked_helpful = post.pk in marked
        post.reported = post.pk in reported
        post.can_edit = post.is_mine and can_edit(post, viewer)
    return PostPage(posts=posts, number=page, num_pages=num_pages)


def facilities(*, kind: str | None = None, town_id: int | None = None) -> QuerySet:
    qs = Facility.objects.select_related("town")
    if kind:
        qs = qs.filter(kind=kind)
    if town_id:
        qs = qs.filter(town_id=town_id)
    return qs.order_by("name_kana", "name", "id")


# --- staff ------------------------------------------------------------------------------------

def held_posts() -> QuerySet:
    """Posts an NG word held, oldest first."""
    return Post.objects.filter(status=Post.Status.HELD).select_related("thread").order_by("created_at", "id")


def reported_posts() -> QuerySet:
    """Posts with open reports, oldest report first; each with its open reports prefetched."""
    open_reports = PostReport.objects.filter(status=PostReport.Status.OPEN).order_by("created_at")
    return (
        Post.objects.filter(reports__status=PostReport.Status.OPEN)
        .annotate(open_reports=Count("reports", filter=Q(reports__status=PostReport.Status.OPEN)),
                  first_report_at=Min("reports__created_at", filter=Q(reports__status=PostReport.Status.OPEN)))
        .select_related("thread")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
        .order_by("first_report_at", "id")
    )


def reveal_requests(*, status: str | None = None) -> QuerySet:
    qs = RevealRequest.objects.select_related("post__thread", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
