"""Signals listings sends, so that other apps react without listings importing them."""

from django.dispatch import Signal

# Sent inside the transaction of every status change, after the row is saved:
# kwargs `listing` (the updated row), `action` (listings.lifecycle.Action), `actor` (User or None).
listing_transitioned = Signal()

# Sent inside the transaction of a content edit (title, photos, price...): kwargs `listing`, `actor`.
listing_updated = Signal()

# Sent when a listing is submitted, to collect reasons for it to wait for staff review beyond
# listings' own rules: kwargs `listing`, `rules` (ListingRules). Receivers return a short reason
# (text for staff) or None. The NG word check (moderation app) answers this.
listing_review_requested = Signal()

# Sent by `manage.py rebuild_search_index` after the listings are indexed again, so that apps which
# store normalised search terms themselves (alerts' saved searches) redo them with the same
# normalisation. Receivers return (what, how many) for the command's report.
search_index_rebuilt = Signal()
