"""The readable form of an audit record's before and after for the staff pages and the export.

Records are written by core.audit.audit_record."""

import json

from django.utils.translation import gettext_lazy as _

from community.models import PostReport, PostStatus, RevealRequest
from listings.models import Listing

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
    "created": _("created"),
    "updated": _("updated"),
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
}


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
    statuses = _status_labels(target_type, values) if "status" in values else {}
    return [
        (str(KEY_LABELS.get(key, key)), str(statuses.get(value, value)) if key == "status" else _readable_value(value))
        for key, value in values.items()
        if key not in HIDDEN_KEYS
    ]


def audit_json(values) -> str:
    """A record's before or after for the CSV export: JSON (empty when there is none)."""
    if values is None:
        return ""
    if isinstance(values, dict):  # older reveal records named the account: never in an export
        values = {key: value for key, value in values.items() if key not in HIDDEN_KEYS}
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
