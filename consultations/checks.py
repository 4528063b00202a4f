"""`manage.py check --deploy`: the consultations' voter key should be set, and kept."""

import os

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def voter_key_set(app_configs, **kwargs) -> list[Warning]:
    if os.environ.get("CONSULTATION_VOTER_KEY") or os.environ.get("CONSULTATION_VOTER_KEY_FILE"):
        return []
    return [Warning(
        "CONSULTATION_VOTER_KEY is not set: each server keeps its own key under var/, so after a new "
        "container or on a second server every resident could answer a consultation again.",
        hint="Set CONSULTATION_VOTER_KEY (or _FILE) to a long random value of its own, and keep it (docs/CONSULTATIONS.md).",
        id="consultations.W001",
    )]
