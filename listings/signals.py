"""Signals listings sends, so that other apps react without listings importing them."""

from django.dispatch import Signal

# Sent inside the transaction of every status change, after the row is saved:
# kwargs `listing` (the updated row), `action` (listings.lifecycle.Action), `actor` (User or None).
listing_transitioned = Signal()

# Sent inside the transaction of a content edit (title, photos, price...): kwargs `listing`, `actor`.
listing_updated = Signal()
