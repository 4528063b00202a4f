"""Moderation's answers to other apps' signals (connected in apps.py)."""

from django.utils.translation import gettext as _

from core.ngwords import ng_words_in


def ng_words_review_reason(sender, *, listing, rules, **kwargs) -> str | None:
    """A listing whose title or description holds an NG word waits for review, when the rules say so."""
    if not rules.review_ng_words:
        return None
    found = ng_words_in(listing.title, listing.description)
    return _("NG words: %(words)s") % {"words": ", ".join(found)} if found else None


def reports_of_resident(sender, *, user, **kwargs) -> list[dict]:
    """The reports a resident made, for their data page (what they reported, never who else did)."""
    from moderation.reports import reports_by  # in the call: reports import models

    return [
        {
            "kind": str(report.kind.label),
            "subject": str(report.subject or ""),
            "reason": str(report.get_reason_display()),
            "status": report.status,
            "reported_at": report.created_at,
        }
        for report in reports_by(user)
    ]
