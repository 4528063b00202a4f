"""Signals other apps answer, so that accounts never imports them (imports point one way)."""

from django.dispatch import Signal

# Sent inside the deletion transaction, before the account is anonymised: kwargs `user` and
# `erase_posts` (the resident's choice for what they wrote in public: True to delete it, False to
# keep it anonymous). Receivers close what the account owns (listings are withdrawn,
# conversations stay readable, board posts are erased or kept, and detached either way).
account_deleting = Signal()

# Sent when a resident downloads their data: kwargs `user`. Each receiver returns a
# (section name, JSON-serialisable data) pair that becomes one key of the export.
account_data_requested = Signal()

# Sent when a resident's data is packed as a ZIP: kwargs `user`. Each receiver returns a list of
# (path inside the ZIP, name in default_storage) pairs: the resident's own files (listing photos).
account_files_requested = Signal()

# Sent for the resident's readable data page: kwargs `user`. The receiver returns a list of dicts
# (kind, subject, reason, status, reported_at): the reports the resident made, whatever their target.
account_reports_requested = Signal()
