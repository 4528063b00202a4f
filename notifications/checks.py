"""`manage.py check --deploy`: the Web Push key should be the site's own, kept, not one generated
on a server's disk."""

import os

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def push_key_set(app_configs, **kwargs) -> list[Warning]:
    if os.environ.get("WEB_PUSH_VAPID_PRIVATE_KEY") or os.environ.get("WEB_PUSH_VAPID_PRIVATE_KEY_FILE"):
        return []
    return [Warning(
        "WEB_PUSH_VAPID_PRIVATE_KEY is not set: each server generates its own Web Push key under var/, "
        "so a new container or a second server turns off notifications on every resident's device.",
        hint="Set WEB_PUSH_VAPID_PRIVATE_KEY (or _FILE) to a P-256 key in PEM, and keep it (docs/NOTIFICATIONS.md, Web Push).",
        id="notifications.W001",
    )]
