"""Signals other apps answer, so that accounts never imports them (imports point one way)."""

from django.dispatch import Signal

# Sent inside the deletion transaction, before the account is anonymised: kwargs `user`.
# Receivers close what the account owns (listings are withdrawn, conversations stay readable).
account_deleting = Signal()

# Sent when a resident downloads their data: kwargs `user`. Each receiver returns a
# (section name, JSON-serialisable data) pair that becomes one key of the export.
account_data_requested = Signal()
