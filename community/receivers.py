"""Reactions to account events (connected in apps.py)."""

from community.models import Post
from community.services import posts_detach


def export_board_posts(sender, user, **kwargs) -> tuple[str, list]:
    """A resident's own board posts belong in their data download (only they see it)."""
    posts = Post.objects.filter(author=user, is_official=False).select_related("thread").order_by("created_at")
    return "board_posts", [
        {
            "thread": post.thread_id,
            "thread_title": post.thread.title if post.number == 1 else None,
            "number": post.number,
            "pseudonym": post.pseudonym,
            "text": post.body,
            "status": post.status,
            "created_at": post.created_at.isoformat(),
        }
        for post in posts
    ]


def detach_posts_of_deleted_account(sender, user, erase_posts: bool = True, **kwargs) -> None:
    """A deleted account's board posts are erased or kept anonymous, as the resident chose;
    either way they no longer point at the account."""
    posts_detach(author=user, erase=erase_posts)
