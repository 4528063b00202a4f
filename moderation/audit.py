"""The readable form of an audit record for the staff pages and the export: the object it names
(「出品 #244」, with a link to the staff's page of it) and its before and after, keys and known
values in words. Everything the audit log page shows in words is here; unknown keys and values
are shown as they are.

Records are written by core.audit.audit_record."""

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from community.models import PostReport, PostStatus, RevealRequest
from listings.models import Listing
from mirror.models import EVENT_TYPES
from moderation.reports import KINDS

# The kinds of object a record names (its target_type), in words, and the staff page of one
# (a URL name taking the object's id, or a list page taking none; None when there is no page:
# staff read a conversation only through a report).
TARGETS = {
    "listings.listing": (_("Listing"), "listings:detail", True),
    "accounts.user": (pgettext_lazy("audit log object", "User"), "moderation:account", True),
    "community.post": (_("Board post"), "community:post", True),
    "community.thread": (pgettext_lazy("audit log object", "Board thread"), "community:thread", True),
    "messaging.message": (_("Message"), None, False),
    "messaging.conversation": (pgettext_lazy("audit log object", "Conversation"), None, False),  # やりとり, as residents call it
    "core.ngword": (_("NG word"), "community_staff:ng_words", False),
    "moderation.reasontemplate": (_("Reason template"), "moderation:reason_templates", False),
    "listings.category": (_("Category"), "moderation:categories", False),
    "listings.listingrules": (_("Listing rules"), "moderation:rules", False),
    "moderation.impactsettings": (pgettext_lazy("audit log object", "Impact estimates"), "moderation:impact_settings", False),
    "mirror.webhookendpoint": (pgettext_lazy("audit log object", "Webhook endpoint"), "mirror_staff:endpoint_list", False),
    "notifications.segmentmessage": (_("LINE segment message"), "moderation:line_segments", False),
}

# Keys never shown on the staff page. Records written before the reveal stopped storing it carry
# the account of a revealed board author under "account": the author is shown to the requester
# once, so the log, which every staff member reads, must not keep showing it.
HIDDEN_KEYS = frozenset({"account"})

# Labels for the keys the services write; an unknown key is shown as it is.
KEY_LABELS = {
    "status": _("status"),
    "request": _("reveal request"),
    "report": _("report"),
    "reports": _("reports"),
    "message": _("message"),
    "conversation": _("conversation"),
    "listing": _("listing number"),
    "kind": _("kind"),
    "outcome": _("outcome"),
    "hidden": _("hidden"),
    "held_words": _("NG words"),
    "suspended": _("suspended"),
    "listings_hidden": _("listings hidden"),
    "listings_shown": _("listings shown again"),
    "dataset": _("dataset"),
    # The facility import's counts (not dates: "created" alone reads 作成日時)
    "created": pgettext_lazy("import count", "new"),
    "updated": pgettext_lazy("import count", "updated"),
    "unchanged": pgettext_lazy("import count", "unchanged"),
    "errors": _("errors"),
    "word": _("word"),
    "title": _("name"),
    "text": _("text"),
    "body": _("text"),
    "price_cap": _("price cap"),
    "expiry_days": _("days a listing stays up"),
    "review_all": _("review every listing"),
    "review_new_accounts_days": _("review accounts younger than (days)"),
    "review_categories": _("categories reviewed"),
    "review_ng_words": _("review listings with NG words"),
    "prohibited_items": _("prohibited items"),
    "co2_per_tonne": _("CO2 per tonne"),
    "name_ja": _("name (Japanese)"),
    "name_en": _("name (English)"),
    "position": _("position"),
    "is_active": _("active"),
    "url": _("URL"),
    "description": _("description"),
    "events": _("events"),
    "table": _("table"),
    "months": _("months"),
    "category": _("category"),
    "condition": _("condition"),
    "price": _("price"),
    "town": _("town"),
    "photos": _("photos"),
    "towns": _("towns"),
    "categories": _("interests"),
    "recipients": _("recipients"),
}


# Known values of other keys, in words: the choices they come from.
VALUE_LABELS = {
    "kind": {name: kind.label for name, kind in KINDS.items()},  # a report's kind of object
    "outcome": {"hidden": pgettext_lazy("report outcome", "hidden")},
    "table": {"monthly": _("Per month"), "category": _("By category"), "town": _("By town")},  # the impact export
    "events": dict(EVENT_TYPES),  # a webhook endpoint's events
}


def audit_target(target_type: str, target_id: str) -> tuple[str, str]:
    """The object a record names, in words (「出品 #244」), and the URL of its staff page ("" if
    none); an unknown kind of object reads as it is stored (``app.model:id``)."""
    if not target_type:
        return "", ""
    if target_type not in TARGETS:
        return (f"{target_type}:{target_id}" if target_id else target_type), ""
    label, url_name, takes_id = TARGETS[target_type]
    text = f"{label} #{target_id}" if target_id else str(label)
    if url_name is None or (takes_id and not target_id.isdigit()):
        return text, ""
    return text, reverse(url_name, args=[int(target_id)] if takes_id else [])


def _readable_value(value) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_readable_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _status_labels(target_type: str, values: dict) -> dict:
    """The labels of the status values of the record's object (a reveal request's, if it names one)."""
    if "request" in values:
        return dict(RevealRequest.Status.choices)
    if "report" in values:
        return dict(PostReport.Status.choices)
    return {"listings.listing": dict(Listing.Status.choices), "community.post": dict(PostStatus.choices)}.get(target_type, {})


def audit_details(values, target_type: str = "") -> list[tuple[str, str]]:
    """A record's before or after as (label, value) pairs for the staff page, without hidden keys."""
    if values is None:
        return []
    if not isinstance(values, dict):
        return [("", _readable_value(values))]
    labels = {**VALUE_LABELS, "status": _status_labels(target_type, values) if "status" in values else {}}
    return [(str(KEY_LABELS.get(key, key)), _value_in_words(value, labels.get(key, {}))) for key, value in values.items() if key not in HIDDEN_KEYS]


def _value_in_words(value, labels: dict) -> str:
    """A value through the choices it comes from (each item of a list), else as _readable_value."""
    if isinstance(value, list):
        return _readable_value([_value_in_words(item, labels) for item in value]) if value else _readable_value(value)
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    return _readable_value(value)


def audit_json(values) -> str:
    """A record's before or after for the CSV export: JSON (empty when there is none)."""
    if values is None:
        return ""
    if isinstance(values, dict):  # older reveal records named the account: never in an export
        values = {key: value for key, value in values.items() if key not in HIDDEN_KEYS}
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
