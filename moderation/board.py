"""Staff actions on the board. Every one writes an audit record in the same transaction.

The four-eyes reveal: one staff member requests to see who wrote a reported post (with a
reason), a different staff member approves or refuses (with a reason), and only then is the
author shown, to the requester, once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import check_staff_member
from community.models import Post, PostReport, RevealRequest, Thread
from community.services import _add_post, clean_body, thread_refresh
from core.audit import audit_reason, audit_record
from core.models import AuditRecord
from moderation.models import AccountWarning

# A resident who deleted their account left their posts linked to no account (community.services.posts_detach).
_DETACHED = _("The author has deleted their account. The post is no longer linked to any account.")


def post_hide(*, post: Post, actor: User, reason: str) -> None:
    """Hide a published or held post from everyone but staff; its open reports count as handled."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    if post.status not in (Post.Status.PUBLISHED, Post.Status.HELD):
        raise ValidationError(_("Only a published or held post can be hidden."), code="invalid_state")
    with transaction.atomic():
        before = post.status
        Post.objects.filter(pk=post.pk).update(status=Post.Status.HIDDEN, hidden_reason=reason)
        PostReport.objects.filter(post=post).resolve(actor=actor)  # its open reports count as handled
        audit_record(actor=actor, action=AuditRecord.Action.POST_HIDE, target=post, reason=reason,
                     before={"status": before}, after={"status": Post.Status.HIDDEN})
        thread_refresh(post.thread_id)


def post_restore(*, post: Post, actor: User, reason: str) -> None:
    """Show a hidden post again."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    if post.status != Post.Status.HIDDEN:
        raise ValidationError(_("Only a hidden post can be restored."), code="invalid_state")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, hidden_reason="")
        audit_record(actor=actor, action=AuditRecord.Action.POST_RESTORE, target=post, reason=reason,
                     before={"status": Post.Status.HIDDEN}, after={"status": Post.Status.PUBLISHED})
        thread_refresh(post.thread_id)


def post_approve(*, post: Post, actor: User, reason: str = "") -> None:
    """Publish a post that an NG word held."""
    check_staff_member(actor)
    if post.status != Post.Status.HELD:
        raise ValidationError(_("Only a held post can be published."), code="invalid_state")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, held_words="")
        audit_record(actor=actor, action=AuditRecord.Action.POST_APPROVE, target=post, reason=(reason or "").strip(),
                     before={"status": Post.Status.HELD, "held_words": post.held_words}, after={"status": Post.Status.PUBLISHED})
        thread_refresh(post.thread_id)


def report_dismiss(*, report: PostReport, actor: User, reason: str = "") -> None:
    """Close a report without acting on the post."""
    check_staff_member(actor)
    if report.status != PostReport.Status.OPEN:
        return
    with transaction.atomic():
        PostReport.objects.filter(pk=report.pk).update(status=PostReport.Status.DISMISSED, handled_by=actor, handled_at=timezone.now())
        audit_record(actor=actor, action=AuditRecord.Action.REPORT_DISMISS, target=report.post, reason=(reason or "").strip(),
                     after={"report": report.pk, "status": PostReport.Status.DISMISSED})


def official_answer(*, thread: Thread, actor: User, body: str) -> Post:
    """Answer a thread for the ward (区からの回答): shown as the ward's, never anonymous."""
    check_staff_member(actor)
    body = clean_body(body)
    with transaction.atomic():
        post = _add_post(thread, actor, body, official=True)
        audit_record(actor=actor, action=AuditRecord.Action.POST_OFFICIAL_ANSWER, target=post, after={"body": body})
        thread_refresh(thread.pk)
    return post


def reveal_request(*, post: Post, actor: User, reason: str) -> RevealRequest:
    """Ask to see who wrote a reported post. One pending request per post."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    if post.is_official:
        raise ValidationError(_("An official answer is not anonymous."), code="official")
    if post.author_id is None:
        raise ValidationError(_DETACHED, code="detached")
    if not post.reports.exists():
        raise ValidationError(_("Only the author of a reported post can be revealed."), code="not_reported")
    try:
        with transaction.atomic():
            request = RevealRequest.objects.create(post=post, requested_by=actor, reason=reason)
            audit_record(actor=actor, action=AuditRecord.Action.REVEAL_REQUEST, target=post, reason=reason,
                         after={"request": request.pk})
    except IntegrityError:
        raise ValidationError(_("A request for this post is already waiting for a decision."), code="duplicate") from None
    return request


def reveal_decide(*, request: RevealRequest, actor: User, approve: bool, reason: str) -> None:
    """A second staff member approves or refuses; nobody decides their own request."""
    check_staff_member(actor)
    reason = audit_reason(reason)
    if request.requested_by_id == actor.pk:
        raise PermissionDenied(_("A second staff member must decide on your request."))
    with transaction.atomic():
        request = RevealRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RevealRequest.Status.PENDING:
            raise ValidationError(_("This request has already been decided."), code="decided")
        request.status = RevealRequest.Status.APPROVED if approve else RevealRequest.Status.REFUSED
        request.decided_by = actor
        request.decision_reason = reason
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
        audit_record(
            actor=actor,
            action=AuditRecord.Action.REVEAL_APPROVE if approve else AuditRecord.Action.REVEAL_REFUSE,
            target=request.post,
            reason=reason,
            before={"request": request.pk, "status": RevealRequest.Status.PENDING},
            after={"request": request.pk, "status": request.status},
        )


def reveal_view(*, request: RevealRequest, actor: User) -> dict:
    """The author of the post, shown once to the requester of an approved request."""
    check_staff_member(actor)
    if request.requested_by_id != actor.pk:
        raise PermissionDenied(_("Only the staff member who asked can see the author."))
    with transaction.atomic():
        request = RevealRequest.objects.select_for_update(of=("self",)).select_related("post__author__town").get(pk=request.pk)
        if request.status != RevealRequest.Status.APPROVED:
            raise ValidationError(_("The author can be shown only once, after a second staff member approved."), code="not_approved")
        if request.post.author_id is None:
            raise ValidationError(_DETACHED, code="detached")
        request.status = RevealRequest.Status.REVEALED
        request.revealed_at = timezone.now()
        request.save(update_fields=["status", "revealed_at"])
        author = request.post.author
        # The record says who saw the author of which post under which request, not who the
        # author is: every staff member reads the log (docs/BOARD.md, "Anonymity").
        audit_record(actor=actor, action=AuditRecord.Action.REVEAL_VIEW, target=request.post, reason=request.reason,
                     after={"request": request.pk})
    return {
        # Warnings about this author's board posts stay off the account page; the requester sees them here.
        "board_warnings": list(AccountWarning.objects.filter(user=author, from_board=True).values("created_at", "text")),
        "account_id": author.pk,
        "display_name": author.public_name,
        "email": author.email,
        "town": author.town.name if author.town_id else "",
        "date_joined": author.date_joined,
    }
