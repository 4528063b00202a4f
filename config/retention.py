"""How many days each kind of data is kept before `manage.py apply_retention` removes it.

One variable per kind (docs/RETENTION.md); 0 keeps that kind forever. Read here rather than in
settings.py so that the settings module stays short; settings exposes the dict as RETENTION_DAYS.
"""

from config.env import env_int

# kind -> (environment variable, default days)
RETENTION_DEFAULTS = {
    "task_results": ("RETENTION_TASK_RESULTS_DAYS", 14),
    "webhook_deliveries": ("RETENTION_WEBHOOK_DELIVERIES_DAYS", 90),
    "failed_notices": ("RETENTION_FAILED_NOTICES_DAYS", 180),
    "closed_listing_photos": ("RETENTION_CLOSED_LISTING_PHOTOS_DAYS", 180),
    "closed_conversation_messages": ("RETENTION_CLOSED_CONVERSATION_MESSAGES_DAYS", 730),
    "audit_log": ("RETENTION_AUDIT_LOG_DAYS", 1827),
    "notice_deliveries": ("RETENTION_NOTICE_DELIVERIES_DAYS", 90),
    "line_webhook_events": ("RETENTION_LINE_WEBHOOK_EVENTS_DAYS", 30),
}


def retention_days() -> dict[str, int]:
    """Days to keep each kind, from the environment; ImproperlyConfigured on a negative or non-integer value."""
    return {kind: env_int(name, default, minimum=0) for kind, (name, default) in RETENTION_DEFAULTS.items()}
