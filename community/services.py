"""Every write on the board: threads, replies, edits, deletions, helpful marks and reports.

Staff actions (hide, restore, reveal) live in moderation/board.py; facility imports in
community/facilities.py.
"""

import base64
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import is_verified_resident
from community.models import Facility, Helpful, Post, PostReport, Thread, Topic
from community.selectors import can_edit
from core import pagecache
from core.contacts import contact_details_in
from core.ngwords import ng_words_in
from core.ratelimit import Limit, rate_limit
from core.reports import report_rate_limit


def pseudonym(*, thread_id: int, user_id: int) -> str:
    """The name a post shows: the same for one account within one thread, unlinkable across threads.

    An HMAC of the thread and the account under a key derived from BOARD_PSEUDONYM_KEY (by default
    the oldest signing key, so rotating SECRET_KEY renames nobody: config/env.py signing_keys):
    without it nobody can tell whether two threads' pseudonyms belong to one person.
    """
    digest = salted_hmac(
        "mottainai.community.pseudonym", f"{thread_id}:{user_id}", secret=settings.BOARD_PSEUDONYM_KEY, algorithm="sha256",
    ).digest()
    return base64.b32encode(digest[:5]).decode()  # 8 characters, A-Z and 2-7


def _clean_text(value: str, *, limit: int, empty_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty_message, code="empty")
    if len(value) > limit:
        raise ValidationError(
            _("This can be at most %(limit)s characters (it has %(length)s).") % {"limit": limit, "length": len(value)},
            code="too_long",
        )
    if "\x00" in value:
        raise ValidationError(_("The text contains characters that are not allowed."), code="invalid")
    return value


def clean_title(title: str) -> str:
    return _clean_text(title, limit=Thread._meta.get_field("title").max_length, empty_message=_("Give the thread a title."))


def clean_body(body: str) -> str:
    return _clean_text(body, limit=settings.COMMUNITY_POST_MAX_LENGTH, empty_message=_("Write something first."))


def _check_can_write(user: User) -> None:
    if not is_verified_resident(user):
        raise PermissionDenied(_("Only verified residents can write on the board."))


def _check_rate(user: User, *, new_thread: bool) -> None:
    """Count one post (and one thread when it opens one) in core.ratelimit; a thread refused by
    either limit counts in neither. Raises RateLimited (a 429 page) before anything is written."""
    limit = settings.COMMUNITY_POSTS_PER_HOUR
    message = _("You can write at most %(limit)s posts an hour.") % {"limit": limit}
    limits = [Limit("board_post", limit, timedelta(hours=1), message)]
    if new_thread:
        limit = settings.COMMUNITY_THREADS_PER_DAY
        message = _("You can start at most %(limit)s threads a day. You can still reply in an existing thread.") % {"limit": limit}
        limits.insert(0, Limit("board_thread", limit, timedelta(days=1), message))
    rate_limit(user.pk, *limits)


def thread_refresh(thread_id: int) -> None:
    """Recompute what the thread list shows from the posts: listed, reply count, last activity."""
    thread = Thread.objects.get(pk=thread_id)
    opening = Post.objects.filter(thread_id=thread_id, number=1).values_list("status", flat=True).first()
    published = Post.objects.filter(thread_id=thread_id, status=Post.Status.PUBLISHED)
    replies = published.exclude(number=1).count()
    last = published.aggregate(last=Max("created_at"))["last"] or thread.created_at
    # A thread whose opening post was deleted or hidden stays for its replies, with a notice in
    # the opening post's place; without replies there is nothing left to show.
    listed = opening == Post.Status.PUBLISHED or (opening in (Post.Status.DELETED, Post.Status.HIDDEN) and replies > 0)
    Thread.objects.filter(pk=thread_id).update(
        is_listed=listed, title_hidden=opening == Post.Status.HIDDEN, reply_count=replies, last_activity_at=last
    )
    if thread.facility_id:
        count = Thread.objects.filter(facility_id=thread.facility_id, is_listed=True).count()
        Facility.objects.filter(pk=thread.facility_id).update(thread_count=count)
    pagecache.bump()  # every change to a post ends here, saved or updated in bulk


def _held_for(title: str, body: str) -> list[str]:
    """Why staff must see a post first: the NG words in it and what looks like a contact detail
    (its author said it is not one; the form asked), each named for staff."""
    return ng_words_in(title, body) + [str(detail) for detail in contact_details_in(title, body)]


def _add_post(thread: Thread, author: User, body: str, *, official: bool = False) -> Post:
    # The UPDATE takes the thread's row lock (PostgreSQL) or the write lock (SQLite) first, so two
    # replies at once get consecutive numbers instead of colliding.
    Thread.objects.filter(pk=thread.pk).update(last_number=F("last_number") + 1)
    number = Thread.objects.values_list("last_number", flat=True).get(pk=thread.pk)
    held = [] if official else _held_for(thread.title if number == 1 else "", body)
    return Post.objects.create(
        thread=thread,
        number=number,
        author=author,
        pseudonym="" if official else pseudonym(thread_id=thread.pk, user_id=author.pk),
        body=body,
        is_official=official,
        status=Post.Status.HELD if held else Post.Status.PUBLISHED,
        held_words=", ".join(held)[:200],
    )


def thread_create(*, author: User, topic: str, title: str, body: str, facility: Facility | None = None) -> Thread:
    """Start a thread with its opening post. An NG word or a contact detail holds it for staff
    review (post.status)."""
    _check_can_write(author)
    if topic not in Topic.values:
        raise ValidationError(_("Choose a topic."), code="invalid_topic")
    title, body = clean_title(title), clean_body(body)
    _check_rate(author, new_thread=True)
    with transaction.atomic():
        thread = Thread.objects.create(topic=topic, title=title, author=author, facility=facility)
        _add_post(thread, author, body)
        thread_refresh(thread.pk)
    thread.refresh_from_db()
    return thread


def post_reply(*, thread: Thread, author: User, body: str) -> Post:
    """Reply in a listed thread. An NG word or a contact detail holds the reply for staff review."""
    _check_can_write(author)
    if not thread.is_listed:
        raise PermissionDenied(_("This thread is not open for replies."))
    body = clean_body(body)
    _check_rate(author, new_thread=False)
    with transaction.atomic():
        post = _add_post(thread, author, body)
        thread_refresh(thread.pk)
    return post


def post_edit(*, post: Post, author: User, body: str, title: str | None = None) -> Post:
    """Change the text (and, for an opening post, the title) within the edit window.

    An NG word in the new text holds the post; a held post stays held until staff decide.
    """
    if post.author_id != author.pk:
        raise PermissionDenied
    if not can_edit(post, author):
        raise ValidationError(
            _("Posts can be edited only within %(minutes)s minutes of posting.") % {"minutes": settings.COMMUNITY_EDIT_MINUTES},
            code="edit_window",
        )
    body = clean_body(body)
    thread = post.thread
    with transaction.atomic():
        if post.number == 1 and title is not None:
            thread.title = clean_title(title)
            Thread.objects.filter(pk=thread.pk).update(title=thread.title)
        held = _held_for(thread.title if post.number == 1 else "", body)
        post.body = body
        post.edited_at = timezone.now()
        if held:
            post.status = Post.Status.HELD
            post.held_words = ", ".join(held)[:200]
        post.save(update_fields=["body", "edited_at", "status", "held_words"])
        thread_refresh(thread.pk)
    return post


def post_delete(*, post: Post, author: User) -> None:
    """The author deletes a post at any time: its text (and an opening post's title) is erased;
    the post stays as a notice so that the replies keep their numbers."""
    if post.author_id != author.pk or post.is_official:
        raise PermissionDenied
    if post.status == Post.Status.DELETED:
        return
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=Post.Status.DELETED, body="", held_words="", edited_at=timezone.now())
        if post.number == 1:
            Thread.objects.filter(pk=post.thread_id).update(title="")
        thread_refresh(post.thread_id)


def posts_detach(*, author: User, erase: bool) -> None:
    """The author is deleting their account: detach their posts and threads from it (author set to
    None), so that nothing leads from them to the account, not even the staff reveal.

    With `erase` their posts are first deleted as by `post_delete` (text and opening posts'
    titles erased, a notice in their place, so threads keep their shape); without it they stay
    as written under their pseudonyms. Official answers are the ward's and stay as they are.
    """
    with transaction.atomic():
        posts = Post.objects.filter(author=author, is_official=False)
        thread_ids = set(posts.values_list("thread_id", flat=True))
        if erase:
            posts.exclude(status=Post.Status.DELETED).update(
                status=Post.Status.DELETED, body="", held_words="", edited_at=timezone.now()
            )
            Thread.objects.filter(author=author).update(title="")
        posts.update(author=None)
        Thread.objects.filter(author=author).update(author=None)
        for thread_id in sorted(thread_ids):
            thread_refresh(thread_id)


def helpful_toggle(*, post: Post, user: User) -> bool:
    """Mark (or unmark) a published post as helpful; returns whether it is now marked."""
    _check_can_write(user)
    if post.status != Post.Status.PUBLISHED:
        raise PermissionDenied
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot mark your own post as helpful."), code="own_post")
    with transaction.atomic():
        deleted, _rows = Helpful.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        try:
            with transaction.atomic():
                Helpful.objects.create(post=post, user=user)
        except IntegrityError:  # a double click that raced: already marked
            return True
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        return True


def post_report(*, post: Post, reporter: User, reason: str, note: str = "") -> PostReport:
    """Report a post to staff; reporting the same post twice keeps the first report."""
    _check_can_write(reporter)
    if reason not in PostReport.Reason.values:
        raise ValidationError(_("Choose a reason."), code="invalid_reason")
    if post.status == Post.Status.DELETED:
        raise ValidationError(_("This post has been deleted."), code="deleted")
    note = (note or "").strip().replace("\x00", "")[:1000]
    report_rate_limit(reporter)
    report, _created = PostReport.objects.get_or_create(post=post, reporter=reporter, defaults={"reason": reason, "note": note})
    return report
